// Does a cheap request stay fast while large previews are being chunked? The same server process
// is measured twice: with large inputs offloaded to the worker-thread pool (the default), and with
// offloading switched off (every input chunked on the event loop), against the floor of the same
// cheap request on the same server with nothing else running. Prints a table, writes
// bench-results/event-loop.json. A process-level load run, so a script that `pnpm bench` starts
// after the serving suite.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import autocannon from 'autocannon';
import { provisionBackend } from '../test/support/backends.ts';
import { spawnApp } from '../test/support/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LARGE_PREVIEWS_IN_FLIGHT = 2;
const LARGE_TEXT_CHARS = 1_500_000;
const paragraph =
  'Chunking decides what retrieval can find. Each cut should follow the structure of the text. ';

interface CaseResult {
  mode: string;
  cheapRequestsPerSecond: number;
  cheapP50Ms: number;
  cheapP99Ms: number;
  cheapMaxMs: number;
  largePreviewsCompleted: number;
}

async function measure(
  mode: string,
  offloadThresholdChars: string,
  largePreviewsInFlight = LARGE_PREVIEWS_IN_FLIGHT,
): Promise<CaseResult> {
  const backend = await provisionBackend('embedded');
  const apiKey = `bench-${randomBytes(16).toString('hex')}`;
  const server = spawnApp('server', {
    ...backend.environment,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    BOOTSTRAP_API_KEY: apiKey,
    RATE_LIMIT_PREVIEW: '0',
    RATE_LIMIT_READS: '0',
    CHUNKING_OFFLOAD_CHARS: offloadThresholdChars,
  });
  try {
    const url = String((await server.waitForLog((line) => line.msg === 'chunkflow server listening')).url);
    let running = true;
    let completed = 0;
    // Distinct texts, so every large preview is computed rather than served from the cache.
    const largePreviews = Array.from({ length: largePreviewsInFlight }, async (_, lane) => {
      for (let round = 0; running; round += 1) {
        const content = `${lane}-${round} ${paragraph.repeat(Math.ceil(LARGE_TEXT_CHARS / paragraph.length))}`;
        const response = await fetch(`${url}/api/v2/chunking/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({
            content,
            strategy: 'recursive',
            config: { chunkSize: 256, chunkOverlap: 32, sizeUnit: 'tokens' },
            maxChunks: 1,
          }),
        });
        if (!response.ok) throw new Error(`large preview answered ${response.status}`);
        await response.arrayBuffer();
        if (running) completed += 1;
      }
    });
    const cheap = await autocannon({
      url: `${url}/api/v2/chunking/strategies`,
      connections: 10,
      duration: SECONDS,
    });
    running = false;
    await Promise.all(largePreviews);
    return {
      mode,
      cheapRequestsPerSecond: cheap.requests.average,
      cheapP50Ms: cheap.latency.p50,
      cheapP99Ms: cheap.latency.p99,
      cheapMaxMs: cheap.latency.max,
      largePreviewsCompleted: completed,
    };
  } finally {
    await server.kill('SIGTERM');
    await backend.cleanup();
  }
}

const started = benchEnvironment();
const idle = await measure('floor: nothing else running', '100000', 0);
const pooled = await measure('worker-thread pool (default)', '100000');
const inline = await measure('on the event loop (offloading off)', '1000000000');
const results = {
  seconds: SECONDS,
  largePreviewsInFlight: LARGE_PREVIEWS_IN_FLIGHT,
  largeTextChars: LARGE_TEXT_CHARS,
  cases: [idle, pooled, inline],
};
const ratios = [
  {
    name: 'cheap request p99 while large previews run on the pool vs floor: nothing else running',
    ratio: pooled.cheapP99Ms / idle.cheapP99Ms,
    better: 'lower',
  },
  {
    name: 'cheap requests per second while large previews run on the pool vs floor: nothing else running',
    ratio: pooled.cheapRequestsPerSecond / idle.cheapRequestsPerSecond,
    better: 'higher',
  },
  {
    name: 'cheap request p50 while large previews run: inline / pool',
    ratio: inline.cheapP50Ms / pooled.cheapP50Ms,
    better: 'higher',
  },
  {
    name: 'cheap request p99 while large previews run: inline / pool',
    ratio: inline.cheapP99Ms / pooled.cheapP99Ms,
    better: 'higher',
  },
  {
    name: 'cheap requests per second while large previews run: pool / inline',
    ratio: pooled.cheapRequestsPerSecond / inline.cheapRequestsPerSecond,
    better: 'higher',
  },
];
console.table(results.cases);
console.table(ratios);
writeBenchJson(join(import.meta.dirname, '../bench-results/event-loop.json'), started, {
  ...results,
  ratios,
});
