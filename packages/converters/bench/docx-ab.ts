// DOCX A/B: Chunkflow's conversion beside mammoth.extractRawText and the LangChain and LlamaIndex
// loaders built on it, called in turn in one process (so load on the machine hits all alike), on
// the benchmark's DOCX and on a larger generated one. Prints the median CPU time of each and the
// ratio to Chunkflow's. Run: `node --import tsx bench/docx-ab.ts` in packages/converters.
import {
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import mammoth from 'mammoth';
import { type CorpusFile, docxFile } from './corpus.ts';
import { type Extract, extractors } from './peers.ts';

const WARM_ROUNDS = 10;

/** ~1,800 paragraphs in 300 sections, with numbered lists and 60 tables. */
async function largerDocx(): Promise<CorpusFile> {
  const children: (Paragraph | Table)[] = [];
  for (let section = 0; section < 300; section++) {
    children.push(new Paragraph({ text: `Section ${section}`, heading: HeadingLevel.HEADING_2 }));
    for (let paragraph = 0; paragraph < 6; paragraph++) {
      const text = `Paragraph ${paragraph} of ${section} `.repeat(12);
      children.push(
        new Paragraph({ children: [new TextRun(text), new TextRun({ text: 'bold tail', bold: true })] }),
      );
    }
    for (let item = 0; item < 3; item++) {
      children.push(
        new Paragraph({ text: `item ${item}`, numbering: { reference: 'steps', level: item % 2 } }),
      );
    }
    if (section % 5 === 0) {
      const rows = [0, 1, 2, 3].map(
        (row) =>
          new TableRow({
            children: [0, 1, 2].map(
              (column) => new TableCell({ children: [new Paragraph(`r${row}c${column}`)] }),
            ),
          }),
      );
      children.push(new Table({ rows }));
    }
  }
  const levels = [0, 1].map((level) => ({ level, format: LevelFormat.DECIMAL, text: `%${level + 1}.` }));
  const document = new Document({
    numbering: { config: [{ reference: 'steps', levels }] },
    sections: [{ children }],
  });
  return { format: 'docx', bytes: new Uint8Array(await Packer.toBuffer(document)), pages: 0, words: [] };
}

const contenders: Record<string, Extract> = {
  ...extractors.docx,
  'mammoth.extractRawText': async (file) =>
    (await mammoth.extractRawText({ buffer: Buffer.from(file.bytes) })).value,
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

for (const [label, file, rounds] of [
  ['benchmark DOCX', await docxFile(), 40],
  ['larger DOCX', await largerDocx(), 15],
] as const) {
  const times: Record<string, number[]> = {};
  for (let round = 0; round < WARM_ROUNDS + rounds; round++) {
    for (const [name, extract] of Object.entries(contenders)) {
      const started = process.cpuUsage();
      await extract(file);
      const used = process.cpuUsage(started);
      if (round < WARM_ROUNDS) continue;
      const measured = times[name] ?? [];
      measured.push((used.user + used.system) / 1000);
      times[name] = measured;
    }
  }
  const ours = median(times.chunkflow ?? []);
  console.log(
    `${label} (${Math.round(file.bytes.byteLength / 1024)} KiB), median CPU ms of ${rounds} rounds:`,
  );
  for (const [name, values] of Object.entries(times)) {
    console.log(
      `  ${name.padEnd(34)} ${median(values).toFixed(2).padStart(8)}  ×${(median(values) / ours).toFixed(2)}`,
    );
  }
}
