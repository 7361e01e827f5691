import { setTimeout as delay } from 'node:timers/promises';
import { defineScenario, describeAnswer, type Outcome } from '../scenario.ts';
import { createCollection, createDocuments } from '../workflow.ts';

/** F6: a key sent as tRPC `connectionParams` (in the URL) must not reach the server's log output. */
export const keyInLogs = defineScenario({
  name: 'API key in connectionParams',
  finding: 'F6',
  sizes: { short: { streamMs: 500 }, full: { streamMs: 500 } },
  run: async ({ target, tenant }, { streamMs }): Promise<Outcome> => {
    const { api } = tenant('logged');
    const params = encodeURIComponent(JSON.stringify({ apiKey: api.apiKey }));
    const input = (json: unknown) => encodeURIComponent(JSON.stringify({ json }));
    const query = await api.request(`/trpc/collections.list?input=${input({})}&connectionParams=${params}`, {
      apiKey: null,
    });
    const stream = await api.request(
      `/trpc/operations.progress?input=${input({ operationId: 'no-such-operation' })}&connectionParams=${params}`,
      { apiKey: null, headers: { accept: 'text/event-stream' }, signal: AbortSignal.timeout(streamMs) },
    );
    // The request log line is written when the response ends.
    await delay(500);
    const logged = target.stdout().includes(api.apiKey);
    const answers = [query, stream];
    return {
      passed: !logged && answers.every((answer) => answer.status < 500),
      answer: `query ${describeAnswer(query)}, stream ${stream.status === 0 ? 'held open' : describeAnswer(stream)}`,
      expected: 'no 5xx; key absent from the log',
      detail: logged ? 'the key appears in the server log' : 'key not in the log',
    };
  },
});

/** F16: statistics after a document delete count what is left. */
export const statisticsAfterDelete = defineScenario({
  name: 'statistics after delete',
  finding: 'F16',
  sizes: { short: {}, full: {} },
  run: async ({ client }): Promise<Outcome> => {
    const collectionId = await createCollection(client, 'hostile statistics');
    const [first] = await createDocuments(client, collectionId, ['One document.', 'Another document.']);
    const before = await client.chunking.statistics.query({ collectionId });
    await client.documents.delete.mutate({ id: first as string });
    const after = await client.chunking.statistics.query({ collectionId });
    return {
      passed: before.totalDocuments === 2 && after.totalDocuments === 1,
      answer: `totalDocuments ${before.totalDocuments} → ${after.totalDocuments}`,
      expected: 'totalDocuments 2 → 1',
    };
  },
});

/** F17: the pages that hold or use the API key carry CSP, nosniff and frame protection. */
export const securityHeaders = defineScenario({
  name: 'security headers',
  finding: 'F17',
  sizes: { short: { pages: ['/', '/api/v2/docs/'] }, full: { pages: ['/', '/api/v2/docs/'] } },
  run: async ({ api }, { pages }): Promise<Outcome> => {
    const missing: string[] = [];
    for (const page of pages) {
      const { headers } = await api.request(page, { apiKey: null });
      const policy = headers.get('content-security-policy');
      if (policy === null) missing.push(`${page} CSP`);
      if (headers.get('x-content-type-options') !== 'nosniff') missing.push(`${page} nosniff`);
      if (headers.get('x-frame-options') === null && !policy?.includes('frame-ancestors')) {
        missing.push(`${page} frame protection`);
      }
    }
    return {
      passed: missing.length === 0,
      answer: missing.length === 0 ? 'all present' : `missing: ${missing.join(', ')}`,
      expected: 'CSP, nosniff, frame protection',
    };
  },
});
