// PDF A/B: Chunkflow's conversion beside LangChain's PDFLoader (pdf-parse 1, the fastest peer),
// called in turn in one process (so load on the machine hits both alike), on the benchmark's PDF.
// Prints the median CPU and wall time of each and its ratio to Chunkflow's (above 1: Chunkflow is
// faster). Run: `node --import tsx bench/pdf-ab.ts [rounds]` in packages/converters.
import { pdfFile } from './corpus.ts';
import { type Extract, extractors } from './peers.ts';

const WARM_ROUNDS = 20;
const rounds = Number(process.argv[2] ?? 60);
const file = await pdfFile();
const contenders = ['chunkflow', 'langchain PDFLoader (pdf-parse)'].map((name) => ({
  name,
  extract: extractors.pdf[name] as Extract,
  cpuMs: [] as number[],
  wallMs: [] as number[],
}));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

for (let round = 0; round < WARM_ROUNDS + rounds; round++) {
  for (const contender of contenders) {
    const startedCpu = process.cpuUsage();
    const startedWall = performance.now();
    await contender.extract(file);
    const wallMs = performance.now() - startedWall;
    const used = process.cpuUsage(startedCpu);
    if (round < WARM_ROUNDS) continue;
    contender.cpuMs.push((used.user + used.system) / 1000);
    contender.wallMs.push(wallMs);
  }
}

const [ours] = contenders;
const ourCpu = median(ours?.cpuMs ?? []);
const ourWall = median(ours?.wallMs ?? []);
console.log(`${process.version}, ${file.pages}-page PDF, medians of ${rounds} rounds after ${WARM_ROUNDS}:`);
for (const { name, cpuMs, wallMs } of contenders) {
  const cpu = median(cpuMs);
  const wall = median(wallMs);
  console.log(
    `  ${name.padEnd(32)} CPU ${cpu.toFixed(1).padStart(6)} ms ×${(cpu / ourCpu).toFixed(2)}` +
      `   wall ${wall.toFixed(1).padStart(6)} ms ×${(wall / ourWall).toFixed(2)}`,
  );
}
