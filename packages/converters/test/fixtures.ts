import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export interface PdfPage {
  /** Body lines, drawn top-down 15 points apart; a `null` leaves a paragraph gap. */
  lines: (string | null)[];
  /** Drawn at 20 points above the body. */
  heading?: string;
}

/** A real PDF made with pdf-lib: Helvetica text at known places, optional running header and page numbers. */
export async function buildPdf(pages: PdfPage[], options: { header?: string; pageNumbers?: boolean } = {}) {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pages.forEach((content, index) => {
    const page = pdf.addPage([420, 600]);
    if (options.header) page.drawText(options.header, { x: 40, y: 570, size: 9, font });
    let y = 520;
    if (content.heading) {
      page.drawText(content.heading, { x: 40, y, size: 20, font });
      y -= 36;
    }
    for (const line of content.lines) {
      if (line !== null) page.drawText(line, { x: 40, y, size: 11, font });
      y -= line === null ? 12 : 15;
    }
    if (options.pageNumbers) page.drawText(`Page ${index + 1}`, { x: 190, y: 30, size: 9, font });
  });
  return pdf.save({ useObjectStreams: false });
}

/** The same PDF declaring the standard security handler with keys no empty password opens. */
export function encryptedPdf(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const key = '<' + 'ab'.repeat(32) + '>';
  const encrypted = text.replace(
    'trailer\n<<',
    `trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O ${key} /U ${key} /P -4 >>\n/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]`,
  );
  if (encrypted === text) throw new Error('no trailer to extend');
  return Buffer.from(encrypted, 'latin1');
}

/**
 * A DOCX whose central directory claims ~2 GB uncompressed for every entry: what a zip bomb
 * declares, refused before anything is inflated.
 */
export function zipBomb(docx: Uint8Array): Uint8Array {
  const bomb = new Uint8Array(docx);
  const view = new DataView(bomb.buffer);
  for (let at = 0; at + 46 < bomb.length; at++) {
    if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 0x7fff_0000, true);
  }
  return bomb;
}

/** A real DOCX made with the docx library: headings, paragraphs, a table and a bullet list. */
export async function buildDocx(): Promise<Uint8Array> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const document = new Document({
    numbering: {
      config: [
        { reference: 'bullets', levels: [{ level: 0, format: 'bullet', text: '•', alignment: 'left' }] },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Annual Report', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('The year opened with steady growth.')] }),
          new Paragraph({ text: 'Revenue', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Revenue rose in every region.'),
          new Table({
            rows: [
              new TableRow({ children: [cell('Region'), cell('Revenue')] }),
              new TableRow({ children: [cell('North'), cell('120')] }),
              new TableRow({ children: [cell('South'), cell('80')] }),
            ],
          }),
          new Paragraph({ text: 'Outlook', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Hire engineers', numbering: { reference: 'bullets', level: 0 } }),
          new Paragraph({ text: 'Open an office', numbering: { reference: 'bullets', level: 0 } }),
          new Paragraph({ text: 'Risks', heading: HeadingLevel.HEADING_3 }),
          new Paragraph('Supply may tighten.'),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** A news-style page: chrome around an article with headings, a table, a list and code. */
export const articleHtml = `<!doctype html>
<html><head><title>Tide Tables | Coast News</title><style>body { color: red }</style>
<script>window.tracking = "should never appear";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/sport">Sport navigation link</a></nav>
<header><p>Subscribe to our newsletter banner</p></header>
<main><article>
<h1>Tide Tables Explained</h1>
<p>Tides rise and fall twice a day along most coasts, driven by the gravity of the moon and the sun. Reading a tide table tells a sailor when the water is deep enough to leave harbour safely.</p>
<h2>Reading the columns</h2>
<p>Each row of a tide table gives a time and a height. The height is measured from chart datum, the lowest water a harbour expects in a normal year, so a negative value means unusually low water.</p>
<table><thead><tr><th>Time</th><th>Height (m)</th></tr></thead>
<tbody><tr><td>06:12</td><td>4.1</td></tr><tr><td>12:30</td><td>0.6</td></tr></tbody></table>
<h2>Spring and neap tides</h2>
<p>When the sun and moon line up the range is largest; these are spring tides. At quarter moons the range is smallest; these are neap tides, and harbours are easier to enter.</p>
<ul><li>Spring tides: largest range</li><li>Neap tides: smallest range</li></ul>
<pre><code class="language-python">height = datum + offset</code></pre>
</article></main>
<footer><p>Copyright Coast News footer text</p></footer>
<script>console.log("also never")</script>
</body></html>`;

/** A real DOCX whose one table holds a table in its cell, `depth` deep: the writer's worst descent. */
export async function deeplyNestedDocx(depth: number): Promise<Uint8Array> {
  let table = new Table({
    rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('x')] })] })],
  });
  for (let level = 1; level < depth; level++) {
    table = new Table({ rows: [new TableRow({ children: [new TableCell({ children: [table] })] })] });
  }
  const document = new Document({ sections: [{ children: [table] }] });
  return new Uint8Array(await Packer.toBuffer(document));
}
