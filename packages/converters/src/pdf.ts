import { InvalidDocumentError } from '@chunkflow/errors';
import type { PDFDocumentProxy, PDFWorker as PdfWorker } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  bodyHeight,
  dropRunningLines,
  groupLines,
  headingLevels,
  type Line,
  pageBlocks,
  type TextRun,
} from './pdf-layout.ts';
import { getDocument, PDFWorker } from './pdf-runtime.ts';
import type { ConversionLimits } from './types.ts';

export interface PdfText {
  text: string;
  pageStarts: number[];
  pageCount: number;
}

/**
 * Text of a PDF by Mozilla's pdf.js (the legacy build runs on Node 20): each page's text runs
 * grouped into lines, running headers and footers dropped, lines joined into paragraphs and
 * headings, pages separated by a blank line. `pageStarts` records where each page begins.
 * Refuses encrypted, corrupt and over-budget files as INVALID_DOCUMENT.
 */
export async function convertPdf(bytes: Uint8Array, limits: ConversionLimits): Promise<PdfText> {
  const task = getDocument({
    // A copy, as a plain Uint8Array: pdf.js takes no Buffer and detaches the array it is given.
    data: new Uint8Array(bytes),
    worker: sharedWorker(),
    isEvalSupported: false,
    disableFontFace: true,
    // No standard font data is given (text needs only the widths pdf.js has built in): with system
    // fonts allowed, pdf.js does not ask for it, and fail, for every document.
    useSystemFonts: true,
    useWorkerFetch: false,
    verbosity: 0,
  });
  try {
    const pdf = await task.promise;
    if (pdf.numPages > limits.maxPages) {
      throw new InvalidDocumentError(
        'budget',
        `The PDF has ${pdf.numPages} pages; at most ${limits.maxPages} are taken`,
      );
    }
    const pages: Line[][] = [];
    let chars = 0;
    // One page at a time: pdf.js parses on this thread and inflates synchronously (its fake worker,
    // and the patch in patches/pdfjs-dist@5.6.205.patch), so reading pages ahead overlaps nothing.
    for (let number = 1; number <= pdf.numPages; number++) {
      const runs = await readRuns(pdf, number);
      for (const run of runs) chars += run.text.length;
      if (chars > limits.maxOutputChars) throw overBudget(limits);
      pages.push(groupLines(runs));
    }
    return layOut(dropRunningLines(pages));
  } catch (error) {
    throw refusal(error);
  } finally {
    await task.destroy();
  }
}

let worker: PdfWorker | undefined;

/**
 * One pdf.js worker (a "fake" one: its parser runs on this thread) for every document, set up
 * once instead of for each file; destroying a document leaves it be.
 */
function sharedWorker(): PdfWorker {
  if (!worker || worker.destroyed) worker = new PDFWorker({ verbosity: 0 });
  return worker;
}

async function readRuns(pdf: PDFDocumentProxy, number: number): Promise<TextRun[]> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    runs.push({
      text: item.str,
      x: item.transform[4],
      y: item.transform[5],
      width: item.width,
      height: item.height,
      endsLine: item.hasEOL,
    });
  }
  page.cleanup();
  return runs;
}

function layOut(pages: Line[][]): PdfText {
  const levels = headingLevels(pages, bodyHeight(pages));
  const pageStarts: number[] = [];
  let text = '';
  for (const lines of pages) {
    const blocks = pageBlocks(lines, levels);
    if (text && blocks.length > 0) text += '\n\n';
    pageStarts.push(text.length);
    text += blocks.join('\n\n');
  }
  return { text, pageStarts, pageCount: pages.length };
}

function overBudget(limits: ConversionLimits): InvalidDocumentError {
  return new InvalidDocumentError('budget', `The PDF's text exceeds ${limits.maxOutputChars} characters`);
}

/** pdf.js's exceptions by name: a password means encrypted, anything else unreadable. */
function refusal(error: unknown): unknown {
  if (error instanceof InvalidDocumentError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new InvalidDocumentError('encrypted', 'The PDF is encrypted with a password', { cause: error });
  }
  return new InvalidDocumentError('corrupt', 'The PDF cannot be read (corrupt or truncated)', {
    cause: error,
  });
}
