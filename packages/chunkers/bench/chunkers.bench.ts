// Throughput of our strategies against JavaScript peers and one tokenizer pass, on the same ~2 MB
// corpus in the same run. `vitest bench` here, or `pnpm bench` (bench-results/chunkers.json; the
// conventions are in docs/development.md, "Benchmarks"). Each describe group is one comparison that
// vitest prints: the peers' groups, then one group per strategy against one gpt-tokenizer pass over
// the same text, timed back to back so load from other processes hits both alike. Every group is
// measured in 3 rounds spread over the run (`… · round <n>`), and bench:check takes the median over
// rounds of each round's ratio, so a burst of load during one round cannot move a ratio.
import { bench, describe } from 'vitest';
import { chunk, initCodeParsers, type StrategyName, strategyRegistry } from '../src/index.ts';
import { buildCorpus, textOfKind } from './corpus.ts';
import { type Contender, charsPeers, floors, type Output, tokenPeers } from './peers.ts';
import { checkBaseline, checkChunks } from './sanity.ts';

const corpus = buildCorpus();
/** Each group names its text's size, so MB/s can be read back from the results (scripts/bench-report). */
const on = (text: string) => `on ${Buffer.byteLength(text).toLocaleString('en-US')} bytes`;
// `code` is also measured on the corpus's source files alone (where it parses) and on its prose
// alone (where it must fall back to separators quickly).
const sourceFiles = textOfKind(corpus, 'code');
const proseFiles = textOfKind(corpus, 'prose');
// Parsers load once per process; without them the code strategy would take its fallback.
await initCodeParsers();

const ROUNDS = 3;
/** Fast contenders: at least 2 runs and 0.5 s per round, after a warm-up run in the first. */
const fast = (round: number) => ({
  time: 500,
  iterations: 2,
  warmupTime: 0,
  warmupIterations: round === 1 ? 1 : 0,
});
/** Peers taking seconds per run: one timed run per round, no warm-up. */
const SLOW = { time: 0, iterations: 1, warmupTime: 0, warmupIterations: 0 };

/**
 * A contender as a benchmark whose first run checks that it produced real chunks of this text
 * (or, for a tokenizer pass, tokens): an insane output fails the suite instead of being timed.
 */
function benchmark({ name, slow, tokenizerPass, run }: Contender, round: number, text = corpus.text) {
  let checked = false;
  bench(
    name,
    async () => {
      const output = await run(text);
      if (checked) return;
      checked = true;
      const sanity = tokenizerPass ? checkBaseline(output) : checkChunks(text, output);
      if (!sanity.sane) throw new Error(`${name}: not sane: ${JSON.stringify(sanity)}`);
      if (sanity.note) console.log(`${name}: ${sanity.note}`);
    },
    slow ? SLOW : fast(round),
  );
}

function ours(name: string, config: object): Contender {
  return {
    name,
    run: (text): Output => {
      const chunks = chunk(text, config);
      return {
        texts: chunks.map((c) => c.content),
        offsets: chunks.map((c) => [c.startOffset, c.endOffset]),
      };
    },
  };
}

const tokenConfig = (strategy: StrategyName) => ({
  strategy,
  sizeUnit: 'tokens',
  tokenizer: 'cl100k_base',
  chunkOverlap: 32,
  ...(strategy === 'hierarchical' ? { levels: [1024, 256] } : { chunkSize: 256 }),
});

const [gptTokenizer, ...otherFloors] = floors();
const peersInChars = await charsPeers();
const peersInTokens = tokenPeers();

for (let round = 1; round <= ROUNDS; round++) {
  const inRound = (group: string, text = corpus.text) => `${group}, ${on(text)} · round ${round}`;
  describe(inRound('recursive 1000/200 chars: ours vs peers'), () => {
    const config = { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 200 };
    benchmark(ours('ours recursive 1000/200 chars', config), round);
    for (const peer of peersInChars) benchmark(peer, round);
  });

  describe(inRound('recursive 256/32 cl100k tokens: ours vs peers and one tokenizer pass'), () => {
    benchmark(ours('ours recursive 256/32 tokens', tokenConfig('recursive')), round);
    for (const peer of peersInTokens) benchmark(peer, round);
    for (const floor of [gptTokenizer, ...otherFloors]) if (floor) benchmark(floor, round);
  });

  for (const strategy of Object.keys(strategyRegistry) as StrategyName[]) {
    if (strategy === 'recursive') continue; // measured against the floor in the peers' group above
    describe(inRound(`${strategy} 256/32 cl100k tokens vs one tokenizer pass`), () => {
      benchmark(ours(`ours ${strategy} 256/32 tokens`, tokenConfig(strategy)), round);
      if (gptTokenizer) benchmark(gptTokenizer, round);
    });
  }

  for (const [files, text] of [
    ['source files', sourceFiles],
    ['prose files', proseFiles],
  ] as const) {
    describe(inRound(`code 256/32 cl100k tokens on ${files} vs one tokenizer pass`, text), () => {
      benchmark(ours(`ours code 256/32 tokens on ${files}`, tokenConfig('code')), round, text);
      if (gptTokenizer) benchmark(gptTokenizer, round, text);
    });
  }
}
