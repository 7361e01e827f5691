// Run as its own process with --expose-gc: prints how much heap stays reachable after counting
// the tokens of many distinct documents that share most of their words.
import { countTokens } from '../../src/sizing/encodings.ts';

const DOCUMENTS = 1500;
let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const rareWord = () =>
  Array.from({ length: 16 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
const common = 'The quick brown fox jumps over the lazy dog and keeps running. '.repeat(800);

const gc = globalThis.gc as () => void;
gc();
const before = process.memoryUsage().heapUsed;
for (let index = 0; index < DOCUMENTS; index++) {
  countTokens(`${common} ${rareWord()} ${rareWord()} ${rareWord()}`, 'cl100k_base');
}
gc();
const retained = process.memoryUsage().heapUsed - before;
process.stdout.write(JSON.stringify({ retainedBytes: retained, textBytes: DOCUMENTS * common.length }));
