import { defineScenario, type Outcome, typedRefusal } from '../scenario.ts';
import { createCollection } from '../workflow.ts';

/** A keyset cursor as the server encodes one: base64url of a JSON tuple. */
const cursorOf = (tuple: unknown[]) => Buffer.from(JSON.stringify(tuple)).toString('base64url');

/** F15: a chunks cursor whose id is not a UUID. */
export const chunksCursor = defineScenario({
  name: 'malformed chunks cursor',
  finding: 'F15',
  sizes: { short: {}, full: {} },
  run: async ({ api, client }) => {
    const collectionId = await createCollection(client, 'hostile cursors');
    const cursor = cursorOf(['not-a-uuid', 0]);
    return typedRefusal(await api.get(`/chunks?collectionId=${collectionId}&cursor=${cursor}`));
  },
});

/** F15: a collections cursor whose id part is not an id. */
export const collectionsCursor = defineScenario({
  name: 'malformed collections cursor',
  finding: 'F15',
  sizes: { short: {}, full: {} },
  run: async ({ api }) =>
    typedRefusal(await api.get(`/collections?cursor=${cursorOf(['2020-01-01T00:00:00.000Z', 'x'])}`)),
});

/** F15: upload metadata that is not JSON, and metadata nested thousands deep. */
export const uploadMetadata = defineScenario({
  name: 'bad upload metadata',
  finding: 'F15',
  sizes: { short: { depth: 3000 }, full: { depth: 3000 } },
  run: async ({ api, client }, { depth }): Promise<Outcome> => {
    const collectionId = await createCollection(client, 'hostile metadata');
    const upload = (metadata: string) =>
      api.request(`/api/v2/collections/${collectionId}/documents/upload?name=m&metadata=${metadata}`, {
        method: 'PUT',
        body: 'Some text.',
        headers: { 'content-type': 'text/plain' },
      });
    const broken = typedRefusal(await upload('{bad'));
    const deep = typedRefusal(await upload(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`));
    return {
      passed: broken.passed && deep.passed,
      answer: `not JSON: ${broken.answer}; ${depth} deep: ${deep.answer}`,
      expected: 'typed 4xx for both',
      answerMs: Math.max(broken.answerMs ?? 0, deep.answerMs ?? 0),
    };
  },
});

/** F15: a tRPC body nested deeper than any parser's stack; the refusal must not echo internal text. */
export const deepNesting = defineScenario({
  name: 'deeply nested tRPC body',
  finding: 'F15',
  sizes: { short: { depth: 100_000 }, full: { depth: 100_000 } },
  run: async ({ api }, { depth }): Promise<Outcome> => {
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    // The nesting check skips string contents: a string full of brackets and escaped quotes must
    // neither count as nesting nor hide the real nesting after it. Single calls take the served
    // path, over tRPC and REST alike.
    const decoy = JSON.stringify(`"[{\\"${'[{"'.repeat(1000)}`);
    const bodies: [path: string, body: string][] = [
      ['/trpc/chunking.preview', `{"json":${deep}}`],
      ['/trpc/chunking.preview', `{"json":{"content":${decoy},"strategy":"fixed","config":${deep}}}`],
      ['/api/v2/chunking/preview', `{"content":${decoy},"strategy":"fixed","config":${deep}}`],
    ];
    const answers = [];
    for (const [path, body] of bodies) {
      answers.push(
        await api.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
      );
    }
    const refusals = answers.map((answer) => typedRefusal(answer));
    const leaks = answers.some((answer) => /call stack|RangeError/i.test(answer.message ?? ''));
    return {
      passed: refusals.every((refusal) => refusal.passed) && !leaks,
      answer: refusals.map((refusal) => refusal.answer).join('; '),
      expected: 'typed 4xx for each, generic message',
      answerMs: Math.max(...refusals.map((refusal) => refusal.answerMs ?? 0)),
      ...(leaks ? { detail: `messages: ${answers.map((answer) => answer.message).join(' | ')}` } : {}),
    };
  },
});

/** F15: a tRPC batch whose path is longer than the router's parameter limit. */
export const longBatchPath = defineScenario({
  name: 'over-long batch path',
  finding: 'F15',
  sizes: { short: { calls: 30 }, full: { calls: 30 } },
  run: async ({ api }, { calls }) => {
    const paths = Array.from({ length: calls }, () => 'chunking.strategies').join(',');
    const input = encodeURIComponent(
      JSON.stringify(Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, {}]))),
    );
    return typedRefusal(await api.request(`/trpc/${paths}?batch=1&input=${input}`));
  },
});

/** F15: request headers beyond Node's 16 KB limit (Fastify's raw 431 bypassed the envelope). */
export const hugeHeader = defineScenario({
  name: 'huge header',
  finding: 'F15',
  sizes: { short: { bytes: 20_000 }, full: { bytes: 20_000 } },
  run: async ({ api }, { bytes }) =>
    typedRefusal(await api.get('/collections', { headers: { 'x-padding': 'a'.repeat(bytes) } })),
});

/** The bulk, by-hash and key-management surfaces: malformed, oversized and unauthorised bodies. */
export const bulkAndAdminProbes = defineScenario({
  name: 'bulk, by-hash and key probes',
  finding: 'F15',
  sizes: { short: { items: 501, hashChars: 100_000 }, full: { items: 5_000, hashChars: 1_000_000 } },
  run: async ({ tenant }, { items, hashChars }): Promise<Outcome> => {
    const { api, client } = tenant('bulk prober');
    const collectionId = await createCollection(client, 'hostile bulk');
    const answers = [
      // A hash that is no SHA-256: long, and not hex.
      await api.post('/chunking/preview/by-hash', { contentHash: 'f'.repeat(hashChars), strategy: 'fixed' }),
      await api.post('/chunking/preview/by-hash', { contentHash: 'z'.repeat(64), strategy: 'fixed' }),
      // More items than one batch takes, and a batch that is not a list.
      await api.post(`/collections/${collectionId}/documents/batch`, {
        documents: Array.from({ length: items }, (_, index) => ({ name: `d${index}`, content: 'x' })),
      }),
      await api.post(`/collections/${collectionId}/documents/batch`, { documents: { name: 'a' } }),
      // Key management with a tenant's key: the operator key alone may.
      await api.post('/keys', { tenant: 'default' }),
    ].map((answer) => typedRefusal(answer));
    return {
      passed: answers.every((outcome) => outcome.passed),
      answer: answers.map((outcome) => outcome.answer).join('; '),
      expected: 'typed 4xx for each',
      answerMs: Math.max(...answers.map((outcome) => outcome.answerMs ?? 0)),
    };
  },
});
