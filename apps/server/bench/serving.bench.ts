// What a cached preview costs to serve, against the floor: the same ~20 KB document's preview
// answered by Chunkflow (tRPC, REST, getPreview: every one a cache hit) and by a bare tRPC +
// Fastify + superjson server holding the answer in memory, over real HTTP on loopback from this
// process, one request at a time, in the same run. `vitest bench` here, or `pnpm bench`
// (bench-results/serving.json; docs/development.md, "Benchmarks"). Load at many connections is
// `pnpm load`; a cheap request beside large previews is bench/event-loop.ts.
import superjson from 'superjson';
import { afterAll, bench, describe } from 'vitest';
import { startTestServer } from '../test/support/server.ts';
import { startFloorServer } from './floor-server.ts';
import { DOCUMENT_CHARS, previewInput as input } from './preview-input.ts';

const server = await startTestServer('services', {
  environment: { RATE_LIMIT_PREVIEW: '0', RATE_LIMIT_READS: '0', LOG_LEVEL: 'warn' },
});
// The first preview computes and caches; every request below is a hit on that entry.
const preview = await server.client.chunking.preview.mutate(input);
const floor = await startFloorServer(preview);
afterAll(async () => {
  await floor.close();
  await server.close();
});

const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` };
const trpcBody = JSON.stringify(superjson.serialize(input));
const restBody = JSON.stringify(input);
const getPreviewUrl = `${server.url}/trpc/chunking.getPreview?input=${encodeURIComponent(
  JSON.stringify(superjson.serialize({ previewId: preview.previewId })),
)}`;

/** One request, its whole answer read; anything but 200 fails the suite rather than being timed. */
async function request(url: string, init: RequestInit = {}): Promise<void> {
  const response = await fetch(url, init);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 200)}`);
}

// Three rounds spread over the run, each path timed back to back with the floor in every round;
// bench:check takes the median over rounds of each round's ratio.
const ROUNDS = 3;
const group = `a cached preview of a ${DOCUMENT_CHARS / 1000} KB document: Chunkflow vs the floor server`;

for (let round = 1; round <= ROUNDS; round++) {
  describe(`${group} · round ${round}`, () => {
    const options = { time: 700, warmupTime: round === 1 ? 200 : 0, warmupIterations: round === 1 ? 5 : 0 };
    bench(
      'floor: bare tRPC + Fastify + superjson answering the same preview from memory',
      () => request(`${floor.url}/trpc/preview`, { method: 'POST', headers, body: trpcBody }),
      options,
    );
    bench(
      'tRPC chunking.preview (cache hit)',
      () => request(`${server.url}/trpc/chunking.preview`, { method: 'POST', headers, body: trpcBody }),
      options,
    );
    bench(
      'REST POST /api/v2/chunking/preview (cache hit)',
      () => request(`${server.url}/api/v2/chunking/preview`, { method: 'POST', headers, body: restBody }),
      options,
    );
    bench('tRPC chunking.getPreview', () => request(getPreviewUrl, { headers }), options);
    bench('compare: tRPC no-op on the floor server', () => request(`${floor.url}/trpc/noop`), options);
  });
}
