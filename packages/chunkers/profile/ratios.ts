// Each token-sized strategy's speed as a ratio of one gpt-tokenizer encode of the same text, in
// the same run. The machine is shared, so runs are timed in CPU time of this process (user +
// system, which waiting for a core does not add to), the encode and the strategy alternate run by
// run, and each round's ratio is the sum of one over the sum of the other.
// Run: pnpm --filter @chunkflow/chunkers exec tsx profile/ratios.ts [rounds] [strategy…]
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { buildCorpus, textOfKind } from '../bench/corpus.ts';
import { chunk, initCodeParsers, type StrategyName, strategyNames } from '../src/index.ts';
import { tokenConfig } from './token-config.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);

const plainText = { disallowedSpecial: new Set<string>() };

interface Case {
  name: string;
  text: string;
  run(text: string): unknown;
}

function corpusParts() {
  const corpus = buildCorpus();
  return { all: corpus.text, code: textOfKind(corpus, 'code'), prose: textOfKind(corpus, 'prose') };
}

/** CPU milliseconds `run` takes. */
function cpuMs(run: () => unknown): number {
  const before = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}

/** Alternates the two until each has had `minMs` of CPU; returns both totals and the runs. */
function paired(a: () => unknown, b: () => unknown, minMs: number): [number, number, number] {
  let aMs = 0;
  let bMs = 0;
  let runs = 0;
  while (aMs < minMs || bMs < minMs) {
    aMs += cpuMs(a);
    bMs += cpuMs(b);
    runs++;
  }
  return [aMs, bMs, runs];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const mb = (text: string) => Buffer.byteLength(text) / 1e6;

async function main() {
  const rounds = Number(process.argv[2] ?? 3);
  const only = process.argv.slice(3);
  await initCodeParsers();
  const texts = corpusParts();
  const picked = (only.length > 0 ? only : strategyNames) as StrategyName[];
  const cases: Case[] = picked.map((strategy) => ({
    name: strategy,
    text: texts.all,
    run: (text) => chunk(text, tokenConfig(strategy)),
  }));
  if (picked.includes('code')) {
    cases.push({ name: 'code (source files)', text: texts.code, run: (t) => chunk(t, tokenConfig('code')) });
    cases.push({ name: 'code (prose files)', text: texts.prose, run: (t) => chunk(t, tokenConfig('code')) });
  }
  const encode = (text: string) => cl100k.encode(text, plainText);
  for (const c of cases) {
    c.run(c.text); // warm-up: JIT, merge caches, parsers
    encode(c.text);
  }
  const ratios = new Map<string, number[]>();
  const speeds = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      // Tokenizer pass and strategy timed back to back on the same text, so both see the same load.
      const [encodeMs, chunkMs, runs] = paired(
        () => encode(c.text),
        () => c.run(c.text),
        1000,
      );
      ratios.set(c.name, [...(ratios.get(c.name) ?? []), encodeMs / chunkMs]);
      speeds.set(c.name, [...(speeds.get(c.name) ?? []), mb(c.text) / (chunkMs / runs / 1000)]);
    }
  }
  print(
    `corpus ${mb(texts.all).toFixed(2)} MB (code ${mb(texts.code).toFixed(2)}, prose ${mb(texts.prose).toFixed(2)}); ${rounds} rounds`,
  );
  print('strategy (256/32 cl100k tokens)   MB/s of CPU time   × one gpt-tokenizer encode (median, range)');
  for (const c of cases) {
    const r = ratios.get(c.name) as number[];
    const s = speeds.get(c.name) as number[];
    print(
      `${c.name.padEnd(32)} ${median(s).toFixed(2).padStart(6)}   ${median(r).toFixed(2)}× (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`,
    );
  }
}

await main();
