import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { convertDocument, pagesOf } from '../src/index.ts';
import { buildPdf, encryptedPdf } from './fixtures.ts';

const pages = [
  {
    heading: 'Introduction',
    lines: [
      'Alpha opens the first page and is hyphen-',
      'ated across two lines.',
      null,
      'Second paragraph of page one.',
    ],
  },
  { lines: ['Bravo fills page two alone.'] },
  { heading: 'Results', lines: ['Charlie closes page three.'] },
];

async function converted() {
  const bytes = await buildPdf(pages, { header: 'ACME Quarterly Report', pageNumbers: true });
  return convertDocument({ bytes, contentType: 'application/pdf', name: 'report.pdf' });
}

describe('PDF conversion', () => {
  it('joins lines into paragraphs, undoes hyphenation and drops running headers and page numbers', async () => {
    const { text, pageCount, contentType } = await converted();
    expect(pageCount).toBe(3);
    expect(contentType).toBe('application/pdf');
    expect(text).toBe(
      [
        '# Introduction',
        'Alpha opens the first page and is hyphenated across two lines.',
        'Second paragraph of page one.',
        'Bravo fills page two alone.',
        '# Results',
        'Charlie closes page three.',
      ].join('\n\n'),
    );
  });

  it('maps every offset to the page its text was drawn on', async () => {
    const { text, provenance } = await converted();
    const starts = provenance.pageStarts ?? [];
    const pageOf = (phrase: string) =>
      pagesOf(starts, text.indexOf(phrase), text.indexOf(phrase) + phrase.length);
    expect(pageOf('Alpha opens')).toEqual([1, 1]);
    expect(pageOf('Second paragraph of page one.')).toEqual([1, 1]);
    expect(pageOf('Bravo fills page two alone.')).toEqual([2, 2]);
    expect(pageOf('# Results')).toEqual([3, 3]);
    expect(pageOf('Charlie closes page three.')).toEqual([3, 3]);
    expect(pagesOf(starts, 0, text.length)).toEqual([1, 3]);
    expect(pagesOf(starts, text.indexOf('one.'), text.indexOf('Bravo') + 5)).toEqual([1, 2]);
  });

  it('makes headings of lines set larger than the body', async () => {
    const { provenance, text } = await converted();
    expect(provenance.headings).toEqual([
      { level: 1, text: 'Introduction', offset: 0 },
      { level: 1, text: 'Results', offset: text.indexOf('# Results') },
    ]);
  });

  it('refuses an encrypted PDF as INVALID_DOCUMENT (encrypted)', async () => {
    const bytes = encryptedPdf(await buildPdf(pages));
    await expect(convertDocument({ bytes, contentType: 'application/pdf' })).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      details: { reason: 'encrypted' },
    });
  });

  it('refuses a file with a PDF header and garbage after it as INVALID_DOCUMENT', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x41)]);
    await expect(convertDocument({ bytes, contentType: 'application/pdf' })).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
    });
  });

  it('refuses a PDF over its page budget', async () => {
    const bytes = await buildPdf(pages);
    const limits = {
      maxPages: 2,
      maxOutputChars: 1e6,
      maxInflatedBytes: 1e6,
      maxCompressionRatio: 100,
      maxNestingDepth: 64,
    };
    await expect(convertDocument({ bytes, contentType: 'application/pdf' }, limits)).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      details: { reason: 'budget' },
    });
  });

  it('keeps every run of a page whose text reaches the page in several batches, in order', async () => {
    // pdf.js sends a page's text runs in batches of 100, handed over without a copy: each batch
    // must be one of its own, not the evaluator's buffer, which it refills for the next.
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage([600, 800]);
    const words = Array.from({ length: 360 }, (_, index) => `w${index}`);
    words.forEach((word, index) => {
      page.drawText(word, {
        x: 40 + (index % 12) * 40,
        y: 740 - Math.floor(index / 12) * 15,
        size: 10,
        font,
      });
    });
    const bytes = await pdf.save();
    const { text } = await convertDocument({ bytes, contentType: 'application/pdf' });
    expect(text).toBe(words.join(' '));
  });

  it('converts or refuses (INVALID_DOCUMENT) every truncation of a real PDF, never anything else', async () => {
    const bytes = await buildPdf(pages, { header: 'ACME', pageNumbers: true });
    for (let length = 8; length < bytes.length; length += Math.ceil(bytes.length / 40)) {
      const outcome = await convertDocument({
        bytes: bytes.subarray(0, length),
        contentType: 'application/pdf',
      }).then(
        (document) => document.format,
        (error: { code?: string }) => error.code,
      );
      expect(['pdf', 'INVALID_DOCUMENT']).toContain(outcome);
    }
  });
});
