// Peak RSS while 500 MB stream through leased 1 MiB windows of a 32 MiB pool: a process-level
// figure (the process's own RSS), so a script rather than a bench suite; `pnpm bench` runs it after
// the suites and it writes bench-results/mempool-streaming.json.
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import { MemoryPool } from '../src/index.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Streams `totalBytes` through windows leased from a pool far smaller than the data, sampling RSS. */
async function measureStreamingRss(totalBytes: number, windowBytes: number, poolBytes: number) {
  const pool = new MemoryPool({ maxBytes: poolBytes });
  const inFlight = new Set<Promise<void>>();
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let checksum = 0;
  const started = performance.now();
  for (let offset = 0; offset < totalBytes; offset += windowBytes) {
    const lease = await pool.acquire(Math.min(windowBytes, totalBytes - offset));
    lease.bytes.fill((offset / windowBytes) & 0xff);
    // Stand-in for chunking a window: read every byte, later, while the next windows are filled.
    const work = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      using held = lease;
      for (let i = 0; i < held.bytes.length; i += 4096) checksum = (checksum + (held.bytes[i] ?? 0)) % 65_521;
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  await Promise.all(inFlight);
  return {
    totalMiB: totalBytes / MiB,
    windowKiB: windowBytes / KiB,
    poolMiB: poolBytes / MiB,
    seconds: round((performance.now() - started) / 1000),
    rssBeforeMiB: round(rssBefore / MiB),
    peakRssMiB: round(peakRss / MiB),
    checksum,
    poolStats: pool.stats(),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const started = benchEnvironment();
const streaming = await measureStreamingRss(500 * MiB, MiB, 32 * MiB);
writeBenchJson(new URL('../bench-results/mempool-streaming.json', import.meta.url).pathname, started, {
  streaming,
});
console.log('streaming 500 MB through 1 MiB windows of a 32 MiB pool:', streaming);
