import { DocxLoader } from '@langchain/community/document_loaders/fs/docx';
import { PDFLoader } from '@langchain/community/document_loaders/fs/pdf';
import { DocxReader } from '@llamaindex/readers/docx';
import { HTMLReader } from '@llamaindex/readers/html';
import { PDFReader } from '@llamaindex/readers/pdf';
import { convertDocument } from '../src/index.ts';
import type { CorpusFile } from './corpus.ts';

/** A converter under test: the text it extracts from one file (pages joined). */
export type Extract = (file: CorpusFile) => Promise<string>;

const contentTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
} as const;

const blobOf = (file: CorpusFile) => new Blob([new Uint8Array(file.bytes)]);

/** What a TypeScript user would pick instead, per format, beside Chunkflow. */
export const extractors: Record<CorpusFile['format'], Record<string, Extract>> = {
  pdf: {
    chunkflow: async (file) =>
      (await convertDocument({ bytes: file.bytes, contentType: contentTypes.pdf })).text,
    'langchain PDFLoader (pdf-parse)': async (file) =>
      (await new PDFLoader(blobOf(file), { splitPages: true }).load())
        .map((page) => page.pageContent)
        .join('\n\n'),
    'llamaindex PDFReader (unpdf)': async (file) =>
      (await new PDFReader().loadDataAsContent(new Uint8Array(file.bytes)))
        .map((page) => page.text)
        .join('\n\n'),
  },
  docx: {
    chunkflow: async (file) =>
      (await convertDocument({ bytes: file.bytes, contentType: contentTypes.docx })).text,
    'langchain DocxLoader (mammoth)': async (file) =>
      (await new DocxLoader(blobOf(file)).load()).map((document) => document.pageContent).join('\n\n'),
    'llamaindex DocxReader (mammoth)': async (file) =>
      (await new DocxReader().loadDataAsContent(new Uint8Array(file.bytes)))
        .map((document) => document.text)
        .join('\n\n'),
  },
  html: {
    chunkflow: async (file) =>
      (await convertDocument({ bytes: file.bytes, contentType: contentTypes.html })).text,
    'llamaindex HTMLReader': async (file) =>
      (await new HTMLReader().loadDataAsContent(new Uint8Array(file.bytes)))
        .map((document) => document.text)
        .join('\n\n'),
  },
};
