import { describe, expect, it } from 'vitest';
import { convertDocument, DEFAULT_CONVERSION_LIMITS, ProvenanceIndex } from '../src/index.ts';
import { articleHtml, buildDocx } from './fixtures.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Overwrites the declared inflated size of every central-directory entry. */
function withDeclaredSizes(bytes: Uint8Array, size: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 46 < copy.length; at++) {
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, size, true);
  }
  return copy;
}

describe('DOCX conversion', () => {
  it('keeps headings with their levels, table rows and list items as markdown', async () => {
    const document = await convertDocument({ bytes: await buildDocx(), contentType: DOCX });
    expect(document.text).toBe(
      [
        '# Annual Report',
        'The year opened with steady growth.',
        '## Revenue',
        'Revenue rose in every region.',
        '| Region | Revenue |\n| --- | --- |\n| North | 120 |\n| South | 80 |',
        '## Outlook',
        '- Hire engineers\n- Open an office',
        '### Risks',
        'Supply may tighten.',
      ].join('\n\n'),
    );
    expect(document.pageCount).toBeNull();
    expect(document.provenance.headings.map(({ level, text }) => [level, text])).toEqual([
      [1, 'Annual Report'],
      [2, 'Revenue'],
      [2, 'Outlook'],
      [3, 'Risks'],
    ]);
    for (const heading of document.provenance.headings) {
      expect(document.text.slice(heading.offset)).toMatch(
        new RegExp(`^#{${heading.level}} ${heading.text}\n`),
      );
    }
  });

  it('gives each offset its heading path', async () => {
    const { text, provenance } = await convertDocument({ bytes: await buildDocx(), name: 'report.docx' });
    const index = new ProvenanceIndex(provenance);
    expect(index.headingPath(text.indexOf('| North'))).toEqual(['Annual Report', 'Revenue']);
    expect(index.headingPath(text.indexOf('Supply'))).toEqual(['Annual Report', 'Outlook', 'Risks']);
    expect(index.pages(0, 10)).toBeUndefined();
  });

  it('refuses a zip bomb from its directory, before inflating it', async () => {
    const bytes = withDeclaredSizes(await buildDocx(), 0x7fff_0000);
    await expect(convertDocument({ bytes, contentType: DOCX })).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      details: { reason: 'bomb' },
    });
  });

  it('refuses an archive that inflates far more than its size', async () => {
    const bytes = withDeclaredSizes(await buildDocx(), 2_000_000);
    await expect(convertDocument({ bytes, contentType: DOCX })).rejects.toMatchObject({
      details: { reason: 'bomb' },
    });
  });

  it('converts or refuses (INVALID_DOCUMENT) every truncation and corruption of a real DOCX', async () => {
    const bytes = await buildDocx();
    const variants: Uint8Array[] = [];
    for (let length = 4; length < bytes.length; length += Math.ceil(bytes.length / 30)) {
      variants.push(bytes.subarray(0, length));
    }
    for (let at = 30; at < bytes.length; at += Math.ceil(bytes.length / 30)) {
      const flipped = new Uint8Array(bytes);
      flipped[at] = (flipped[at] ?? 0) ^ 0xff;
      variants.push(flipped);
    }
    for (const variant of variants) {
      const outcome = await convertDocument({ bytes: variant, contentType: DOCX }).then(
        (document) => document.format,
        (error: { code?: string }) => error.code,
      );
      expect(['docx', 'INVALID_DOCUMENT']).toContain(outcome);
    }
  });
});

describe('HTML conversion', () => {
  it('keeps the article, its headings, table and list, and drops scripts, styles, navigation and chrome', async () => {
    const { text, provenance } = await convertDocument({
      bytes: Buffer.from(articleHtml),
      contentType: 'text/html',
    });
    expect(text.startsWith('# Tide Tables Explained\n\nTides rise and fall')).toBe(true);
    expect(text).toContain('| Time | Height (m) |\n| --- | --- |\n| 06:12 | 4.1 |\n| 12:30 | 0.6 |');
    expect(text).toContain('- Spring tides: largest range\n- Neap tides: smallest range');
    expect(text).toContain('```\nheight = datum + offset\n```');
    for (const chrome of ['tracking', 'never', 'navigation', 'newsletter', 'footer', 'color: red']) {
      expect(text).not.toContain(chrome);
    }
    expect(provenance.headings.map(({ level, text }) => [level, text])).toEqual([
      [1, 'Tide Tables Explained'],
      [2, 'Reading the columns'],
      [2, 'Spring and neap tides'],
    ]);
  });

  it('keeps the whole body of a page too short for an article, less its scripts', async () => {
    const html = '<html><body><h2>Notes</h2><p>Short <b>note</b>.</p><script>x()</script></body></html>';
    const { text } = await convertDocument({ bytes: Buffer.from(html), name: 'notes.html' });
    expect(text).toBe('## Notes\n\nShort note.');
  });

  it('escapes paragraph text that would read as a heading', async () => {
    const { text, provenance } = await convertDocument({
      bytes: Buffer.from('<html><body><p># not a heading</p></body></html>'),
      contentType: 'text/html',
    });
    expect(text).toBe('\\# not a heading');
    expect(provenance.headings).toEqual([]);
  });

  it('refuses nesting deeper than the budget without overflowing the stack', async () => {
    const depth = 100_000;
    const html = `<html><body>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}</body></html>`;
    await expect(
      convertDocument({ bytes: Buffer.from(html), contentType: 'text/html' }),
    ).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      details: { reason: 'budget' },
    });
  });

  it('refuses converted text over the output budget', async () => {
    const limits = { ...DEFAULT_CONVERSION_LIMITS, maxOutputChars: 100 };
    const html = `<html><body><p>${'word '.repeat(100)}</p></body></html>`;
    await expect(
      convertDocument({ bytes: Buffer.from(html), contentType: 'text/html' }, limits),
    ).rejects.toMatchObject({
      details: { reason: 'budget' },
    });
  });
});

describe('HTML nesting estimate', () => {
  it('passes sloppy but shallow pages: unclosed paragraphs and list items, void elements, scripts with tags', async () => {
    const items = '<li>item<br><img src=x>'.repeat(2_000);
    const html = `<html><body><ul>${items}</ul>${'<p>para'.repeat(2_000)}<script>"${'<div>'.repeat(2_000)}"</script></body></html>`;
    const { text } = await convertDocument({ bytes: Buffer.from(html), contentType: 'text/html' });
    expect(text).toContain('para');
  });
});
