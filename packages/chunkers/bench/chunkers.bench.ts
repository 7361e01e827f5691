// Throughput of our strategies against JavaScript peers on the same ~2 MB corpus, in one run.
// Run: pnpm bench (prints tables; writes bench-results/chunkers.json). Medians of several runs;
// MB = 10^6 bytes of UTF-8.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { type Chunk, chunk, initCodeParsers, type StrategyName, strategyRegistry } from '../src/index.ts';
import { buildCorpus } from './corpus.ts';
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

/** Slow contenders (seconds per run) get three runs; fast ones as many as fit in two seconds. */
async function time(contender: Contender, text: string, slow: boolean) {
  const bench = new Bench(
    slow ? { iterations: 3, time: 0, warmup: false } : { iterations: 5, time: 2000, warmupIterations: 1 },
  );
  bench.add(contender.name, async () => {
    await contender.run(text);
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result?.state !== 'completed') throw new Error(`${contender.name}: ${result?.state}`);
  return { medianMs: result.latency.p50, samples: result.latency.samplesCount };
}

async function measure(contender: Contender, text: string, bytes: number): Promise<Measured> {
  const base = { name: contender.name, group: contender.group, ours: contender.ours };
  const started = performance.now();
  let output: PeerOutput;
  try {
    output = await contender.run(text);
  } catch (error) {
    return { ...base, error: error instanceof Error ? error.message : String(error) };
  }
  const firstRunMs = performance.now() - started;
  const sanity = contender.group === 'baseline' ? checkBaseline(output) : checkChunks(text, output);
  if (!sanity.sane) return { ...base, sanity };
  const { medianMs, samples } =
    firstRunMs > SINGLE_RUN_MS
      ? { medianMs: firstRunMs, samples: 1 }
      : await time(contender, text, firstRunMs > 1500);
  return { ...base, sanity, medianMs, samples, mbPerSecond: bytes / 1e6 / (medianMs / 1000) };
}

function describe({ name, mbPerSecond, samples, sanity, error }: Measured): string {
  const head = `${name.padEnd(58)} ${fixed(mbPerSecond, 2).padStart(8)} MB/s`;
  if (error !== undefined) return `${head}  FAILED: ${error}`;
  const verdict = sanity?.sane ? 'sane' : 'NOT SANE (not timed)';
  const runs = samples === 1 ? ', one run' : '';
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
  const results: Measured[] = [];
  for (const contender of contenders) {
    const measured = await measure(contender, corpus.text, corpus.bytes);
    results.push(measured);
    console.log(describe(measured));
  }

  const ratioRows = ratios(results);
  console.log('\nratios (ours MB/s ÷ peer MB/s):');
  for (const row of ratioRows) {
    const verdict = row.met === undefined ? 'not measured' : row.met ? 'met' : 'MISSED';
    const target = row.target === undefined ? '' : `  target ≥ ${row.target}× ${verdict}`;
    console.log(
      `  ${String(row.ours).padEnd(34)} vs ${String(row.peer).padEnd(56)} ${fixed(row.ratio, 2).padStart(8)}×${target}`,
    );
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
  };
  writeFileSync(
    new URL('../bench-results/chunkers.json', import.meta.url),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log('\nwrote bench-results/chunkers.json');
}

await main();
