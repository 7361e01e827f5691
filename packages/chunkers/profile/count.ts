// Exact token counting alone, as chunking in characters pays it: every 400-character window of the
// benchmark corpus, 40 characters apart from the next (what `recursive` 400/40 reads a count of),
// counted with one encoding, in MB/s of CPU time (user + system: waiting for a core adds none).
// Run: pnpm --filter @chunkflow/chunkers exec tsx profile/count.ts [rounds] [cl100k_base|o200k_base]
// For a profile: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx profile/count.ts, then
// node profile/summarize.mjs /tmp/prof/<file>.cpuprofile
import { buildCorpus } from '../bench/corpus.ts';
import { type BpeName, getEncoding } from '../src/sizing/encodings.ts';

const WINDOW = 400;
const OVERLAP = 40;

const [rounds = '5', name = 'cl100k_base'] = process.argv.slice(2);
const { text } = buildCorpus();
const windows: string[] = [];
for (let start = 0; start < text.length; start += WINDOW - OVERLAP)
  windows.push(text.slice(start, start + WINDOW));
const megabytes = windows.reduce((sum, window) => sum + Buffer.byteLength(window), 0) / 1e6;
const encoding = getEncoding(name as BpeName);

for (let round = 1; round <= Number(rounds); round++) {
  const before = process.cpuUsage();
  let tokens = 0;
  for (const window of windows) tokens += encoding.count(window);
  const { user, system } = process.cpuUsage(before);
  const seconds = (user + system) / 1e6;
  process.stdout.write(
    `round ${round}: ${megabytes.toFixed(2)} MB, ${tokens} tokens, ${(megabytes / seconds).toFixed(1)} MB/s\n`,
  );
}
