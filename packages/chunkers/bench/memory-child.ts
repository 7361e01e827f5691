// Child process of the memory bench: streams a generated document through chunkStream and
// reports its peak RSS as one JSON line (the parent samples RSS from outside meanwhile).
// Run alone: tsx bench/memory-child.ts [megabytes] [config JSON]
import { chunkStream } from '../src/index.ts';
import { buildCorpus } from './corpus.ts';

const megabytes = Number(process.argv[2] ?? 500);
const config = JSON.parse(process.argv[3] ?? '{"strategy":"recursive","chunkSize":1000,"chunkOverlap":200}');
const PIECE = 64 * 1024;

/** `megabytes` × 10^6 UTF-16 code units (≈3% more in UTF-8) of real text, the corpus cycled, in 64 Ki pieces. */
async function* generated(base: string, totalChars: number): AsyncGenerator<string> {
  for (let sent = 0; sent < totalChars; ) {
    const at = sent % (base.length - PIECE);
    const piece = base.slice(at, at + Math.min(PIECE, totalChars - sent));
    sent += piece.length;
    yield piece;
  }
}

async function main() {
  const base = buildCorpus().text;
  const totalChars = megabytes * 1e6;
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  let chunks = 0;
  let lastEnd = 0;
  for await (const item of chunkStream(generated(base, totalChars), config)) {
    chunks++;
    lastEnd = item.endOffset;
  }
  const seconds = (performance.now() - started) / 1000;
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  console.log(
    JSON.stringify({
      config,
      documentChars: totalChars,
      chunks,
      lastEnd,
      seconds: Math.round(seconds * 10) / 10,
      rssBeforeMiB: mb(rssBefore),
      // The kernel's high-water mark: catches spikes that any sampling could miss.
      peakRssMiB: mb(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

await main();
