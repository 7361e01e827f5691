import {
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { describe, expect, it } from 'vitest';
import { convertDocument, DEFAULT_CONVERSION_LIMITS } from '../src/index.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function docx(children: (Paragraph | Table)[], footnotes: Record<number, string> = {}) {
  const document = new Document({
    footnotes: Object.fromEntries(
      Object.entries(footnotes).map(([id, text]) => [id, { children: [new Paragraph(text)] }]),
    ),
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: [0, 1, 2].map((level) => ({ level, format: LevelFormat.BULLET, text: '•' })),
        },
        {
          reference: 'numbers',
          levels: [0, 1].map((level) => ({ level, format: LevelFormat.DECIMAL, text: `%${level + 1}.` })),
        },
      ],
    },
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

const cell = (...paragraphs: string[]) =>
  new TableCell({ children: paragraphs.map((text) => new Paragraph(text)) });

describe('DOCX conversion from the document model', () => {
  it('nests bulleted and numbered lists, numbering each list from 1', async () => {
    const item = (text: string, reference: string, level: number) =>
      new Paragraph({ text, numbering: { reference, level } });
    const bytes = await docx([
      item('Tides', 'bullets', 0),
      item('Spring', 'bullets', 1),
      item('Largest range', 'bullets', 2),
      item('Currents', 'bullets', 0),
      new Paragraph('Then the steps.'),
      item('Read the table', 'numbers', 0),
      item('Find the date', 'numbers', 1),
      item('Find the time', 'numbers', 1),
      item('Add the offset', 'numbers', 0),
    ]);
    const { text } = await convertDocument({ bytes, contentType: DOCX });
    expect(text).toBe(
      [
        '- Tides\n   - Spring\n      - Largest range\n- Currents',
        'Then the steps.',
        '1. Read the table\n   1. Find the date\n   2. Find the time\n2. Add the offset',
      ].join('\n\n'),
    );
  });

  it('keeps footnotes as a numbered list at the end, referenced in the text', async () => {
    const bytes = await docx(
      [
        new Paragraph({
          children: [new TextRun('Datum is the lowest tide'), new FootnoteReferenceRun(1), new TextRun('.')],
        }),
      ],
      { 1: 'Lowest astronomical tide.' },
    );
    const { text } = await convertDocument({ bytes, contentType: DOCX });
    expect(text).toBe('Datum is the lowest tide[1].\n\n1. Lowest astronomical tide.');
  });

  it('splits a paragraph at its line breaks and keeps the paragraphs of a table cell apart', async () => {
    const bytes = await docx([
      new Paragraph({
        children: [new TextRun('First line'), new TextRun({ text: 'second line', break: 1 })],
      }),
      new Table({
        rows: [
          new TableRow({ children: [cell('Port'), cell('Note')] }),
          new TableRow({ children: [cell('Dover'), cell('Busy', 'ferries')] }),
        ],
      }),
    ]);
    const { text } = await convertDocument({ bytes, contentType: DOCX });
    expect(text).toBe(
      'First line\n\nsecond line\n\n| Port | Note |\n| --- | --- |\n| Dover | Busy ferries |',
    );
  });

  it('writes Heading 1–6 as ATX headings and escapes paragraphs that would read as markdown', async () => {
    const bytes = await docx([
      new Paragraph({ text: 'Deep', heading: HeadingLevel.HEADING_6 }),
      new Paragraph('# not a heading'),
      new Paragraph('- not an item'),
    ]);
    const { text, provenance } = await convertDocument({ bytes, contentType: DOCX });
    expect(text).toBe('###### Deep\n\n\\# not a heading\n\n\\- not an item');
    expect(provenance.headings.map(({ level }) => level)).toEqual([6]);
  });

  it('refuses tables nested deeper than the budget', async () => {
    const nested = new Table({
      rows: [
        new TableRow({
          children: [
            new TableCell({ children: [new Table({ rows: [new TableRow({ children: [cell('inner')] })] })] }),
          ],
        }),
      ],
    });
    const bytes = await docx([nested]);
    await expect(convertDocument({ bytes, contentType: DOCX })).resolves.toMatchObject({
      text: '| inner |\n| --- |',
    });
    const limits = { ...DEFAULT_CONVERSION_LIMITS, maxNestingDepth: 6 };
    await expect(convertDocument({ bytes, contentType: DOCX }, limits)).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
      details: { reason: 'budget' },
    });
  });
});
