import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** One format of the corpus: the file, its pages, and the words drawn into it, in order. */
export interface CorpusFile {
  format: 'pdf' | 'docx' | 'html';
  bytes: Uint8Array;
  pages: number;
  words: string[];
}

const vocabulary = (
  'tide harbour pilot chart datum spring neap current ebb flood keel hull anchor mooring beacon ' +
  'channel depth sounding shoal reef buoy lighthouse quay jetty breakwater estuary delta marsh ' +
  'survey bearing compass sextant latitude longitude meridian almanac ledger cargo freight manifest'
).split(' ');

/** Deterministic prose: `count` words from a linear congruential sequence, numbered every tenth. */
function prose(count: number, seed: number): string[] {
  const words: string[] = [];
  let state = seed;
  for (let index = 0; index < count; index++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    words.push(index % 10 === 9 ? `n${state % 10_000}` : (vocabulary[state % vocabulary.length] as string));
  }
  return words;
}

const PDF_PAGES = 30;
const LINES_PER_PAGE = 30;
const WORDS_PER_LINE = 12;

export async function pdfFile(): Promise<CorpusFile> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  const words: string[] = [];
  for (let number = 1; number <= PDF_PAGES; number++) {
    const page = pdf.addPage([612, 792]);
    page.drawText(`Harbour Survey ${number}`, { x: 72, y: 740, size: 9, font });
    for (let line = 0; line < LINES_PER_PAGE; line++) {
      const drawn = prose(WORDS_PER_LINE, number * 1000 + line);
      words.push(...drawn);
      page.drawText(drawn.join(' '), { x: 72, y: 700 - line * 15, size: 11, font });
    }
  }
  return { format: 'pdf', bytes: await pdf.save(), pages: PDF_PAGES, words };
}

export async function docxFile(): Promise<CorpusFile> {
  const words: string[] = [];
  const children: Paragraph[] = [];
  for (let section = 1; section <= 40; section++) {
    children.push(new Paragraph({ text: `Section ${section}`, heading: HeadingLevel.HEADING_2 }));
    words.push('section', String(section));
    for (let paragraph = 0; paragraph < 5; paragraph++) {
      const drawn = prose(60, section * 100 + paragraph);
      words.push(...drawn);
      children.push(new Paragraph(drawn.join(' ')));
    }
  }
  const document = new Document({ sections: [{ children }] });
  return { format: 'docx', bytes: new Uint8Array(await Packer.toBuffer(document)), pages: 0, words };
}

export function htmlFile(): CorpusFile {
  const words: string[] = [];
  const parts = ['<!doctype html><html><head><title>Survey</title><script>var x = 1;</script></head><body>'];
  parts.push('<nav><a href="/">home</a></nav><main><article><h1>Harbour survey</h1>');
  words.push('harbour', 'survey');
  for (let section = 1; section <= 40; section++) {
    parts.push(`<h2>Section ${section}</h2>`);
    words.push('section', String(section));
    for (let paragraph = 0; paragraph < 5; paragraph++) {
      const drawn = prose(60, section * 100 + paragraph);
      words.push(...drawn);
      parts.push(`<p>${drawn.join(' ')}</p>`);
    }
  }
  parts.push('</article></main><footer>contact</footer></body></html>');
  return { format: 'html', bytes: new TextEncoder().encode(parts.join('\n')), pages: 0, words };
}

/** Words of an extracted text, as the corpus draws them: lower case, letters and digits. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/**
 * Text fidelity: the share of the source's words recovered in order (longest common subsequence
 * of the word sequences over the source's length), so a dropped, garbled or reordered word costs.
 */
export function fidelity(source: readonly string[], extracted: readonly string[]): number {
  let previous = new Uint16Array(extracted.length + 1);
  let current = new Uint16Array(extracted.length + 1);
  for (const word of source) {
    for (let index = 1; index <= extracted.length; index++) {
      current[index] =
        extracted[index - 1] === word
          ? (previous[index - 1] as number) + 1
          : Math.max(previous[index] as number, current[index - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return (previous[extracted.length] as number) / source.length;
}
