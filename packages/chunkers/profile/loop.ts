// Chunks the benchmark corpus with one token-sized strategy in a loop, for a CPU profile:
// node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx profile/loop.ts recursive 10 [code|prose|…]
// (the last argument takes only the corpus's files of that kind)
// then: node profile/summarize.mjs /tmp/prof/<file>.cpuprofile
import { buildCorpus, type Kind, textOfKind } from '../bench/corpus.ts';
import { chunk, initCodeParsers, type StrategyName } from '../src/index.ts';
import { tokenConfig } from './token-config.ts';

const [strategy = 'recursive', times = '10', kind] = process.argv.slice(2);
await initCodeParsers();
const corpus = buildCorpus();
const text = kind ? textOfKind(corpus, kind as Kind) : corpus.text;
const config = tokenConfig(strategy as StrategyName);
for (let i = 0; i < Number(times); i++) chunk(text, config);
