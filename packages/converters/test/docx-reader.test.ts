import {
  AlignmentType,
  CheckBox,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  InsertedTextRun,
  InternalHyperlink,
  LevelFormat,
  NoBreakHyphen,
  Packer,
  PageBreak,
  Paragraph,
  type ParagraphChild,
  SoftHyphen,
  SymbolRun,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
} from 'docx';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertDocx } from '../src/docx.ts';
import { DEFAULT_CONVERSION_LIMITS } from '../src/index.ts';
import { mammothMarkdown, rawDocx, zipOf } from './docx-reference.ts';

const ours = (bytes: Uint8Array) => convertDocx(bytes, DEFAULT_CONVERSION_LIMITS);

async function expectSameAsMammoth(bytes: Uint8Array): Promise<string> {
  const markdown = await ours(bytes);
  expect(markdown).toBe(await mammothMarkdown(bytes));
  return markdown;
}

const numbering = {
  config: [
    {
      reference: 'bullets',
      levels: [0, 1, 2, 3].map((level) => ({ level, format: LevelFormat.BULLET, text: '•' })),
    },
    {
      reference: 'numbers',
      levels: [0, 1, 2, 3].map((level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        alignment: AlignmentType.START,
      })),
    },
  ],
};

const paragraphStyles = [
  { id: 'Aside', name: 'Aside', run: { italics: true } },
  { id: 'ChapterTitle', name: 'heading 2', basedOn: 'Normal', run: { bold: true } },
  { id: 'Heading3', name: 'Custom Three' },
];

async function docxOf(children: (Paragraph | Table)[], footnotes: Record<number, string> = {}) {
  const document = new Document({
    styles: { paragraphStyles },
    numbering,
    footnotes: Object.fromEntries(
      Object.entries(footnotes).map(([id, text]) => [id, { children: [new Paragraph(text)] }]),
    ),
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

const cell = (...texts: string[]) => new TableCell({ children: texts.map((text) => new Paragraph(text)) });

const p = (content: string, properties = '') => `<w:p><w:pPr>${properties}</w:pPr>${content}</w:p>`;
const r = (content: string) => `<w:r>${content}</w:r>`;
const t = (text: string) => r(`<w:t xml:space="preserve">${text}</w:t>`);
const styles = [
  '<w:style w:type="paragraph" w:styleId="ListStyled"><w:name w:val="List Styled"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>',
  '<w:style w:type="numbering" w:styleId="Linked"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>',
].join('');
const numberingXml = [
  '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:pStyle w:val="ListStyled"/></w:lvl></w:abstractNum>',
  '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Linked"/></w:abstractNum>',
  '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum>',
  '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
  '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
  '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>',
].join('');
const footnotes = [
  `<w:footnote w:type="separator" w:id="-1">${p(r('<w:separator/>'))}</w:footnote>`,
  `<w:footnote w:id="2">${p(t('second note'))}${p(t('its second paragraph'))}</w:footnote>`,
].join('');
const relationships =
  '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.com/#old" TargetMode="External"/>';
/** Styles, lists (one linked through a numbering style, one a paragraph style's) and notes the raw documents refer to. */
const parts = { styles, numbering: numberingXml, footnotes, relationships };

/** Body XML as Word and other writers lay it out, from the elements mammoth treats each its own way. */
const rawBody = (() => {
  const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = fc.string({
    // Control characters are not XML, yet some writers leave them in and mammoth reads them.
    unit: fc.constantFrom(
      'a',
      'B',
      ' ',
      '  ',
      '#',
      '-',
      '1.',
      '|',
      '&',
      '<',
      'é',
      '水',
      '🌊',
      '\u000b',
      '\u0001',
      '\uffff',
    ),
    maxLength: 6,
  });
  const runContent = fc.oneof(
    text.map((value) => `<w:t xml:space="preserve">${escapeXml(value)}</w:t>`),
    text.map((value) => `<w:delText>${escapeXml(value)}</w:delText>`),
    fc.constantFrom(
      '<w:tab/>',
      '<w:br/>',
      '<w:br w:type="page"/>',
      '<w:br w:type="column"/>',
      '<w:cr/>',
      '<w:noBreakHyphen/>',
      '<w:softHyphen/>',
      '<w:sym w:font="Wingdings" w:char="F0E0"/>',
      '<w:sym w:font="Symbol" w:char="61"/>',
      '<w:footnoteReference w:id="2"/>',
      '<w:footnoteReference w:id="7"/>',
      '<w:rPr><w:rStyle w:val="Strong"/></w:rPr>',
      // Not XML 1.0, yet written by some: references to control characters, prefixes nothing binds.
      '<w:t>&#1;a&#xFFFF;&#xD800;</w:t>',
      '<w:t x:lang="fr">unbound attribute</w:t>',
      '<x:t>unbound element</x:t>',
    ),
  );
  const run = fc.array(runContent, { maxLength: 4 }).map((content) => r(content.join('')));
  const { block } = fc.letrec<{ inline: string; paragraph: string; block: string; table: string }>((tie) => {
    const inlines = fc.array(tie('inline'), { maxLength: 3 }).map((items) => items.join(''));
    const blocks = fc.array(tie('block'), { minLength: 1, maxLength: 2 }).map((items) => items.join(''));
    return {
      inline: fc.oneof(
        { maxDepth: 3, withCrossShrink: true },
        run,
        inlines.map((content) => `<w:ins w:id="1">${content}</w:ins>`),
        run.map((content) => `<w:del w:id="2">${content}</w:del>`),
        inlines.map((content) => `<w:hyperlink r:id="rId9">${content}</w:hyperlink>`),
        inlines.map((content) => `<w:hyperlink>${content}</w:hyperlink>`),
        inlines.map((content) => `<w:smartTag>${content}</w:smartTag>`),
        inlines.map((content) => `<w:fldSimple w:instr="PAGE">${content}</w:fldSimple>`),
        inlines.map((content) => `<w:sdt><w:sdtContent>${content}</w:sdtContent></w:sdt>`),
        inlines.map(
          (content) =>
            `<w:sdt><w:sdtPr><w14:checkbox/></w:sdtPr><w:sdtContent>${content}</w:sdtContent></w:sdt>`,
        ),
        fc
          .tuple(inlines, inlines)
          .map(
            ([choice, fallback]) =>
              `<mc:AlternateContent><mc:Choice Requires="w14">${choice}</mc:Choice><mc:Fallback>${fallback}</mc:Fallback></mc:AlternateContent>`,
          ),
        tie('paragraph').map((content) =>
          r(
            `<w:pict><v:shape><v:textbox><w:txbxContent>${content}</w:txbxContent></v:textbox></v:shape></w:pict>`,
          ),
        ),
        fc.constantFrom(
          '<w:bookmarkStart w:id="0" w:name="x"/>',
          '<w:bookmarkEnd w:id="0"/>',
          '<w:proofErr/>',
        ),
      ),
      paragraph: fc
        .tuple(
          fc.constantFrom(
            '',
            '<w:pStyle w:val="Heading1"/>',
            '<w:pStyle w:val="Heading2"/>',
            '<w:pStyle w:val="ListStyled"/>',
            '<w:pStyle w:val="Missing"/>',
          ),
          fc.constantFrom(
            '',
            '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>',
            '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>',
            '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>',
            '<w:numPr><w:numId w:val="1"/></w:numPr>',
            '<w:numPr><w:ilvl w:val="0"/></w:numPr>',
          ),
          fc.constantFrom('', '', '', '<w:rPr><w:del w:id="3"/></w:rPr>'),
          inlines,
        )
        .map(([style, list, deleted, content]) => p(content, style + list + deleted)),
      table: fc
        .array(
          fc.tuple(
            fc.array(
              fc.tuple(
                fc.constantFrom('', '<w:vMerge w:val="restart"/>', '<w:vMerge/>', '<w:gridSpan w:val="2"/>'),
                blocks,
              ),
              { minLength: 1, maxLength: 3 },
            ),
            fc.constantFrom('', '', '<w:trPr><w:del w:id="4"/></w:trPr>', '<w:trPr><w:tblHeader/></w:trPr>'),
            fc.constantFrom('', '', '', '<w:bookmarkStart w:id="1" w:name="row"/>'),
          ),
          { minLength: 1, maxLength: 2 },
        )
        .map(
          (rows) =>
            `<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr>${rows
              .map(
                ([cells, rowProperties, between]) =>
                  `${between}<w:tr>${rowProperties}${cells
                    .map(([properties, content]) => `<w:tc><w:tcPr>${properties}</w:tcPr>${content}</w:tc>`)
                    .join('')}</w:tr>`,
              )
              .join('')}</w:tbl>`,
        ),
      block: fc.oneof(
        { maxDepth: 3, withCrossShrink: true },
        tie('paragraph'),
        tie('paragraph'),
        tie('table'),
        blocks.map((content) => `<w:sdt><w:sdtContent>${content}</w:sdtContent></w:sdt>`),
      ),
    };
  });
  return fc.array(block, { maxLength: 6 }).map((blocks) => blocks.join(''));
})();

describe('DOCX reader, against mammoth’s document model', () => {
  it('reads headings 1–6, custom styles by id and by name, and unicode text alike', async () => {
    const levels = [
      HeadingLevel.HEADING_1,
      HeadingLevel.HEADING_2,
      HeadingLevel.HEADING_3,
      HeadingLevel.HEADING_4,
      HeadingLevel.HEADING_5,
      HeadingLevel.HEADING_6,
    ];
    const markdown = await expectSameAsMammoth(
      await docxOf([
        ...levels.map((heading, index) => new Paragraph({ text: `Level ${index + 1} ✓`, heading })),
        new Paragraph({ text: 'Named like a heading', style: 'ChapterTitle' }),
        new Paragraph({ text: 'An aside: 東京, Ελλάδα, emoji 🌊, RTL שלום', style: 'Aside' }),
        new Paragraph({ text: '# looks like markup <b>&amp;</b>', style: 'Heading3' }),
      ]),
    );
    expect(markdown).toContain('###### Level 6 ✓');
    expect(markdown).toContain('## Named like a heading');
  });

  it('reads nested bulleted and numbered lists alike', async () => {
    const item = (text: string, reference: string, level: number) =>
      new Paragraph({ text, numbering: { reference, level } });
    const markdown = await expectSameAsMammoth(
      await docxOf([
        item('one', 'bullets', 0),
        item('one.one', 'bullets', 1),
        item('one.one.one', 'bullets', 2),
        item('deep skip', 'numbers', 3),
        item('two', 'numbers', 0),
        new Paragraph('between'),
        item('three', 'numbers', 1),
      ]),
    );
    expect(markdown).toContain('   - one.one');
  });

  it('reads tables, nested tables and merged cells alike', async () => {
    const merged = new Table({
      rows: [
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph('tall')], rowSpan: 2 }),
            new TableCell({ children: [new Paragraph('wide')], columnSpan: 2 }),
          ],
        }),
        new TableRow({ children: [cell('b1'), cell('b2')] }),
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph('restart')], verticalMerge: VerticalMergeType.RESTART }),
            cell('c1'),
            cell('c2'),
          ],
        }),
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph('hidden')], verticalMerge: VerticalMergeType.CONTINUE }),
            cell('d1'),
            cell('d2'),
          ],
        }),
      ],
    });
    const nested = new Table({
      rows: [
        new TableRow({
          children: [
            new TableCell({
              children: [
                new Paragraph('outer'),
                new Table({ rows: [new TableRow({ children: [cell('inner', 'two')] })] }),
              ],
            }),
            cell('next'),
          ],
        }),
      ],
    });
    const markdown = await expectSameAsMammoth(await docxOf([merged, nested]));
    expect(markdown).not.toContain('hidden');
  });

  it('reads footnotes, hyperlinks, tabs, line and page breaks, symbols, hyphens and tracked changes alike', async () => {
    const date = '2026-01-01T00:00:00Z';
    const children: ParagraphChild[] = [
      new TextRun({ children: ['Tab', new Tab(), 'stop'] }),
      new TextRun({ text: 'after a line break', break: 1 }),
      new ExternalHyperlink({ link: 'https://example.com/a#b', children: [new TextRun(' a link')] }),
      new InternalHyperlink({ anchor: 'target', children: [new TextRun(' an anchor')] }),
      new FootnoteReferenceRun(1),
      new TextRun({
        children: [' non', new NoBreakHyphen(), 'breaking and soft', new SoftHyphen(), 'hyphen'],
      }),
      new SymbolRun({ char: 'F04A', symbolfont: 'Wingdings' }),
      new SymbolRun({ char: '61', symbolfont: 'Symbol' }),
      new InsertedTextRun({ text: ' inserted', id: 1, author: 'Ann', date }),
      new DeletedTextRun({ text: ' deleted', id: 2, author: 'Ann', date }),
      new CheckBox({ checked: true }),
    ];
    const markdown = await expectSameAsMammoth(
      await docxOf(
        [
          new Paragraph({ children }),
          new Paragraph({ children: [new PageBreak(), new TextRun('next page')] }),
        ],
        { 1: 'A note.' },
      ),
    );
    expect(markdown).toContain('inserted');
    expect(markdown).not.toContain('deleted');
    expect(markdown).toContain('1. A note.');
  });

  it('reads what Word writes and the docx library does not alike', async () => {
    const body = [
      p(t('before alternate'), '<w:pStyle w:val="ListStyled"/>'),
      p(
        `<mc:AlternateContent><mc:Choice Requires="w14">${t('choice')}</mc:Choice><mc:Fallback>${t('fallback')}</mc:Fallback></mc:AlternateContent>`,
      ),
      `<w:sdt><w:sdtContent>${p(t('in a content control'))}</w:sdtContent></w:sdt>`,
      p(
        `<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent>${t('☒')}${t(' box')}</w:sdtContent></w:sdt>`,
      ),
      p(
        `<w:smartTag w:element="place">${t('smart')}</w:smartTag><w:fldSimple w:instr="PAGE">${t('7')}</w:fldSimple>`,
      ),
      p(
        r(
          '<w:t>a</w:t><w:cr/><w:t>b</w:t><w:br w:type="column"/><w:t>c</w:t><w:br w:type="odd"/><w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Nope" w:char="41"/>',
        ),
      ),
      p(t('deleted paragraph'), '<w:rPr><w:del w:id="1" w:author="A"/></w:rPr>'),
      p(t(' joins this one')),
      p(
        t('numId 0'),
        '<w:pStyle w:val="ListStyled"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>',
      ),
      p(t('bare numId'), '<w:numPr><w:numId w:val="1"/></w:numPr>'),
      p(t('linked list'), '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>'),
      p(
        `${t('text box follows')}${r(`<w:pict><v:shape><v:textbox><w:txbxContent>${p(t('boxed'))}</w:txbxContent></v:textbox></v:shape></w:pict>`)}`,
      ),
      p(
        `<w:hyperlink r:id="rId9" w:anchor="part">${t('linked')}</w:hyperlink><w:ins w:id="3">${t(' kept')}</w:ins><w:del w:id="4">${r('<w:delText>gone</w:delText>')}</w:del>`,
      ),
      `<w:tbl><w:tr><w:tc>${p(t('a'))}</w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>${p(t('b'))}</w:tc></w:tr><w:bookmarkStart w:id="0" w:name="x"/><w:tr><w:tc>${p(t('c'))}</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr>${p(t('kept as mammoth keeps it'))}</w:tc></w:tr></w:tbl>`,
      `<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>${p(t('span'))}</w:tc></w:tr><w:tr><w:tc>${p(t('x'))}</w:tc><w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr>${p(t('merged away'))}</w:tc></w:tr><w:tr><w:trPr><w:del w:id="5"/></w:trPr><w:tc>${p(t('deleted row'))}</w:tc></w:tr></w:tbl>`,
      p(`${t('note')}${r('<w:footnoteReference w:id="2"/>')}${r('<w:footnoteReference w:id="99"/>')}`),
    ].join('');
    const markdown = await expectSameAsMammoth(rawDocx(body, parts));
    expect(markdown).toContain('fallback');
    expect(markdown).not.toContain('choice');
    expect(markdown).toContain('boxed');
    expect(await ours(rawDocx(body, parts, 'store'))).toBe(markdown);
  });

  it('reads generated WordprocessingML alike', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        await expectSameAsMammoth(rawDocx(body, parts));
      }),
      { numRuns: 300 },
    );
  });

  it('reads generated documents alike', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const run = fc.oneof(
      text.map((value) => new TextRun(value)),
      text.map((value) => new TextRun({ text: value, break: 1 })),
      fc.constant(new TextRun({ children: [new Tab()] })),
      fc.constant(new PageBreak()),
      text.map(
        (value) => new InsertedTextRun({ text: value, id: 1, author: 'A', date: '2026-01-01T00:00:00Z' }),
      ),
      text.map(
        (value) => new DeletedTextRun({ text: value, id: 2, author: 'A', date: '2026-01-01T00:00:00Z' }),
      ),
      fc.constant(new FootnoteReferenceRun(1)),
      fc.constant(new SymbolRun({ char: 'F0E0', symbolfont: 'Wingdings' })),
      text.map(
        (value) => new ExternalHyperlink({ link: 'https://example.com', children: [new TextRun(value)] }),
      ),
    );
    const paragraph = fc
      .record({
        children: fc.array(run, { maxLength: 5 }),
        kind: fc.constantFrom('plain', 'heading', 'bullets', 'numbers', 'Aside', 'ChapterTitle'),
        level: fc.integer({ min: 0, max: 3 }),
      })
      .map(({ children, kind, level }) => {
        if (kind === 'heading') return new Paragraph({ children, heading: HeadingLevel.HEADING_4 });
        if (kind === 'bullets' || kind === 'numbers')
          return new Paragraph({ children, numbering: { reference: kind, level } });
        return new Paragraph({ children, ...(kind === 'plain' ? {} : { style: kind }) });
      });
    const table = fc
      .array(fc.array(fc.tuple(paragraph, fc.boolean()), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 3,
      })
      .map(
        (rows) =>
          new Table({
            rows: rows.map(
              (cells, rowIndex) =>
                new TableRow({
                  children: cells.map(
                    ([content, merge]) =>
                      new TableCell({
                        children: [content],
                        ...(merge
                          ? {
                              verticalMerge:
                                rowIndex === 0 ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE,
                            }
                          : {}),
                      }),
                  ),
                }),
            ),
          }),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(paragraph, paragraph, table), { maxLength: 12 }), async (blocks) => {
        await expectSameAsMammoth(await docxOf(blocks, { 1: 'Generated note.' }));
      }),
      { numRuns: 40 },
    );
  });
});

describe('DOCX reader, on damaged and hostile parts', () => {
  const paragraph = '<w:p><w:r><w:t>text</w:t></w:r></w:p>';

  it('refuses malformed XML, and entities a DTD declares, as corrupt', async () => {
    for (const body of ['<w:p><w:r></w:p>', '<w:p>&undefined;</w:p>', '<w:p w:a="1" w:a="2"/>']) {
      await expect(ours(rawDocx(body))).rejects.toMatchObject({ details: { reason: 'corrupt' } });
    }
    await expect(ours(rawDocx(paragraph, { styles: '<w:style' }))).rejects.toMatchObject({
      details: { reason: 'corrupt' },
    });
    const entities = `<!DOCTYPE w:document [<!ENTITY lol "lol">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>`;
    await expect(ours(zipOf({ 'word/document.xml': entities }))).rejects.toMatchObject({
      details: { reason: 'corrupt' },
    });
  });

  it('refuses nesting past the budget while parsing, whatever the elements', async () => {
    // Deep enough to overflow a recursive reader's stack; stored, so that no ratio check refuses it first.
    const depth = 100_000;
    const body = `${'<w:customXml>'.repeat(depth)}${paragraph}${'</w:customXml>'.repeat(depth)}`;
    await expect(ours(rawDocx(body, {}, 'store'))).rejects.toMatchObject({ details: { reason: 'budget' } });
    const unknown = `<w:p>${'<w:x>'.repeat(600)}${'</w:x>'.repeat(600)}</w:p>`;
    await expect(ours(rawDocx(unknown))).rejects.toMatchObject({ details: { reason: 'budget' } });
  });

  it('reads a paragraph of 200,000 runs, each part of the tree passed on without overflowing the stack', async () => {
    const runs = '<w:r><w:t>a</w:t></w:r>'.repeat(200_000);
    const body = `<w:p><w:pPr><w:rPr><w:del w:id="1"/></w:rPr></w:pPr>${runs}</w:p><w:p><w:hyperlink>${runs}</w:hyperlink></w:p>`;
    const markdown = await ours(rawDocx(body, {}, 'store'));
    expect(markdown).toBe('a'.repeat(400_000));
  });

  it('follows a list through a long chain of numbering styles without overflowing the stack', async () => {
    const links = 50_000;
    // numId n uses abstractNum n, which links to style Sn, which stands for numId n + 1; the last is a list.
    const styles = Array.from(
      { length: links },
      (_, n) =>
        `<w:style w:type="numbering" w:styleId="S${n}"><w:pPr><w:numPr><w:numId w:val="${n + 1}"/></w:numPr></w:pPr></w:style>`,
    ).join('');
    const abstractNums = Array.from(
      { length: links },
      (_, n) => `<w:abstractNum w:abstractNumId="${n}"><w:numStyleLink w:val="S${n}"/></w:abstractNum>`,
    ).join('');
    const last = `<w:abstractNum w:abstractNumId="${links}"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>`;
    const nums = Array.from(
      { length: links + 1 },
      (_, n) => `<w:num w:numId="${n}"><w:abstractNumId w:val="${n}"/></w:num>`,
    ).join('');
    const body = p(t('deep list'), '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>');
    const bytes = rawDocx(body, { styles, numbering: abstractNums + last + nums }, 'store');
    expect(await ours(bytes)).toBe('1. deep list');
  });

  it('refuses an entry that inflates to more or less than its declared size, or whose data is cut', async () => {
    const bytes = rawDocx(paragraph);
    const sizes = [-1, +1].map((change) => {
      const copy = new Uint8Array(bytes);
      const copyView = new DataView(copy.buffer);
      for (let at = 0; at + 46 < copy.length; at++) {
        if (copyView.getUint32(at, true) === 0x02014b50 && copyView.getUint16(at + 28, true) === 17) {
          copyView.setUint32(at + 24, copyView.getUint32(at + 24, true) + change, true);
        }
      }
      return copy;
    });
    for (const variant of sizes) {
      await expect(ours(variant)).rejects.toMatchObject({ details: { reason: 'corrupt' } });
    }
    // Zeroes the start of the document part's deflated data, just past its 30-byte header and name.
    const cut = new Uint8Array(bytes);
    cut.fill(0, 47, 67);
    await expect(ours(cut)).rejects.toMatchObject({ details: { reason: 'corrupt' } });
  });
});
