// Throughput of our strategies against JavaScript peers on the same ~2 MB corpus, in one run.
// Run: pnpm bench (prints tables; writes bench-results/chunkers.json). Contenders are timed in
// interleaved passes (the machine is shared) and reported as medians; MB = 10^6 bytes of UTF-8.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { type Chunk, chunk, initCodeParsers, type StrategyName, strategyRegistry } from '../src/index.ts';
import { buildCorpus } from './corpus.ts';
import { runMemoryBench } from './memory.ts';
import { createPeers, type PeerOutput } from './peers.ts';
import { checkBaseline, checkChunks, type Sanity } from './sanity.ts';

interface Contender {
  name: string;
  group: 'chars' | 'tokens' | 'baseline';
  ours: boolean;
  run(text: string): PeerOutput | Promise<PeerOutput>;
}

interface Measured {
  name: string;
  group: Contender['group'];
  ours: boolean;
  sanity?: Sanity;
  medianMs?: number;
  mbPerSecond?: number;
  samples?: number;
  error?: string;
}

/** A first run longer than this is the only run: the figure is then one sample, not a median. */
const SINGLE_RUN_MS = 30_000;

const tokenConfig = (strategy: StrategyName) => ({
  strategy,
  sizeUnit: 'tokens',
  tokenizer: 'cl100k_base',
  chunkOverlap: 32,
  ...(strategy === 'hierarchical' ? { levels: [1024, 256] } : { chunkSize: 256 }),
});

function ourContender(name: string, group: Contender['group'], config: object): Contender {
  return {
    name,
    group,
    ours: true,
    run: (text) => {
      const chunks: Chunk[] = chunk(text, config);
      return {
        texts: chunks.map((c) => c.content),
        offsets: chunks.map((c) => [c.startOffset, c.endOffset]),
      };
    },
  };
}

function ourContenders(): Contender[] {
  const registered = Object.keys(strategyRegistry) as StrategyName[];
  return [
    ourContender('ours recursive 1000/200 chars', 'chars', {
      strategy: 'recursive',
      chunkSize: 1000,
      chunkOverlap: 200,
    }),
    ...registered.map((s) => ourContender(`ours ${s} 256/32 tokens`, 'tokens', tokenConfig(s))),
  ];
}

/** Passes over all contenders: the machine is shared, so each contender is timed in every pass
 * (interleaved) and the reported figure is the median of its per-pass medians. */
const PASSES = 5;
/** Contenders slower than this per run get one run per pass, in three passes. */
const SLOW_RUN_MS = 1500;

async function timeOnce(contender: Contender, text: string, slow: boolean): Promise<number> {
  const bench = new Bench(
    slow ? { iterations: 1, time: 0, warmup: false } : { iterations: 3, time: 400, warmupIterations: 1 },
  );
  bench.add(contender.name, async () => {
    await contender.run(text);
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result?.state !== 'completed') throw new Error(`${contender.name}: ${result?.state}`);
  return result.latency.p50;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** First run: output for the sanity check, and how slow the contender is. */
async function check(
  contender: Contender,
  text: string,
): Promise<{ measured: Measured; firstRunMs: number }> {
  const base = { name: contender.name, group: contender.group, ours: contender.ours };
  const started = performance.now();
  try {
    const output = await contender.run(text);
    const firstRunMs = performance.now() - started;
    const sanity = contender.group === 'baseline' ? checkBaseline(output) : checkChunks(text, output);
    return { measured: { ...base, sanity }, firstRunMs };
  } catch (error) {
    return {
      measured: { ...base, error: error instanceof Error ? error.message : String(error) },
      firstRunMs: 0,
    };
  }
}

async function measureAll(contenders: Contender[], text: string, bytes: number): Promise<Measured[]> {
  const checked = [];
  for (const contender of contenders) checked.push({ contender, ...(await check(contender, text)) });
  const timings = new Map<string, number[]>();
  for (let pass = 0; pass < PASSES; pass++) {
    for (const { contender, measured, firstRunMs } of checked) {
      const slow = firstRunMs > SLOW_RUN_MS;
      const timed = measured.sanity?.sane && firstRunMs <= SINGLE_RUN_MS && (!slow || pass < 3);
      if (!timed) continue;
      const list = timings.get(contender.name) ?? [];
      list.push(await timeOnce(contender, text, slow));
      timings.set(contender.name, list);
    }
  }
  return checked.map(({ contender, measured, firstRunMs }) => {
    if (!measured.sanity?.sane) return measured;
    const passes = timings.get(contender.name) ?? [firstRunMs];
    const medianMs = median(passes);
    return { ...measured, medianMs, samples: passes.length, mbPerSecond: bytes / 1e6 / (medianMs / 1000) };
  });
}

function describe({ name, mbPerSecond, samples, sanity, error }: Measured): string {
  const head = `${name.padEnd(58)} ${fixed(mbPerSecond, 2).padStart(8)} MB/s`;
  if (error !== undefined) return `${head}  FAILED: ${error}`;
  const verdict = sanity?.sane ? 'sane' : 'NOT SANE (not timed)';
  const runs = samples === 1 ? ', one run' : `, median of ${samples} passes`;
  return `${head}  ${String(sanity?.chunks).padStart(6)} chunks  ${verdict}${runs}${sanity?.note ? ` (${sanity.note})` : ''}`;
}

const speed = (m: Measured | undefined) => m?.mbPerSecond;
const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a / b : undefined);
const fixed = (value: number | undefined, digits: number) =>
  value === undefined ? '—' : value.toFixed(digits);

function ratios(results: Measured[]) {
  const find = (prefix: string) => results.find((r) => r.name.startsWith(prefix));
  const langchainChars = find('LangChain RecursiveCharacterTextSplitter');
  const chonkieFast = find('chonkie FastChunker');
  const chonkieRecursive = find('chonkie RecursiveChunker');
  const langchainTokens = find('LangChain recursive 256/32');
  const gptTokenizer = find('baseline: gpt-tokenizer');
  const oursRecursive = find('ours recursive 1000/200');
  const rows = [
    { ours: oursRecursive, peer: langchainChars, target: 4 },
    { ours: oursRecursive, peer: chonkieRecursive, target: undefined },
    { ours: oursRecursive, peer: chonkieFast, target: 1 },
    ...results
      .filter((r) => r.ours && r.group === 'tokens')
      .flatMap((r) => [
        { ours: r, peer: langchainTokens, target: 20 },
        { ours: r, peer: gptTokenizer, target: undefined },
      ]),
  ];
  return rows.map(({ ours, peer, target }) => {
    const value = ratio(speed(ours), speed(peer));
    return {
      ours: ours?.name,
      peer: peer?.name,
      ratio: value,
      target,
      met: target === undefined || value === undefined ? undefined : value >= target,
    };
  });
}

async function main() {
  const corpus = buildCorpus();
  const kinds: Record<string, number> = {};
  for (const part of corpus.parts) kinds[part.kind] = (kinds[part.kind] ?? 0) + part.chars;
  console.log(
    `corpus: ${(corpus.bytes / 1e6).toFixed(2)} MB UTF-8, ${corpus.text.length} chars, ${corpus.parts.length} files`,
    kinds,
  );

  // Parsers load once per process; without them the code strategy would take its fallback.
  await initCodeParsers();
  const contenders: Contender[] = [
    ...ourContenders(),
    ...(await createPeers()).map((p) => ({ ...p, ours: false })),
  ];
  const results = await measureAll(contenders, corpus.text, corpus.bytes);
  for (const measured of results) console.log(describe(measured));

  const ratioRows = ratios(results);
  console.log('\nratios (ours MB/s ÷ peer MB/s):');
  for (const row of ratioRows) {
    const verdict = row.met === undefined ? 'not measured' : row.met ? 'met' : 'MISSED';
    const target = row.target === undefined ? '' : `  target ≥ ${row.target}× ${verdict}`;
    console.log(
      `  ${String(row.ours).padEnd(34)} vs ${String(row.peer).padEnd(56)} ${fixed(row.ratio, 2).padStart(8)}×${target}`,
    );
  }

  console.log('\nmemory: chunkStream in a child process (target: peak RSS < 256 MiB)');
  const memory = [
    await runMemoryBench(500, { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 200 }),
    await runMemoryBench(100, {
      strategy: 'recursive',
      sizeUnit: 'tokens',
      chunkSize: 256,
      chunkOverlap: 32,
    }),
  ];
  for (const run of memory) {
    const figures =
      run.error ??
      `${run.result?.seconds} s, peak RSS ${run.result?.peakRssMiB} MiB (sampled ${run.peakSampledRssMiB} MiB)`;
    console.log(`  ${run.megabytes} M chars, ${JSON.stringify(run.config)}: ${figures}`);
  }

  mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    corpus: {
      bytes: corpus.bytes,
      chars: corpus.text.length,
      files: corpus.parts.length,
      charsByKind: kinds,
    },
    results,
    ratios: ratioRows,
    memory,
  };
  writeFileSync(
    new URL('../bench-results/chunkers.json', import.meta.url),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log('\nwrote bench-results/chunkers.json');
}

await main();
