import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { sampleValue } from '../../load/prometheus-text.ts';
import type { ServerMetrics } from '../measure.ts';
import {
  defineScenario,
  describeAnswer,
  inParallel,
  isTypedRefusal,
  type Outcome,
  tally,
} from '../scenario.ts';
import { stallUploads } from '../stalled-uploads.ts';
import { createCollection } from '../workflow.ts';
import { prose } from './chunking-cost.ts';

/** RATE_LIMIT_WRITES the suite gives its server, per mode: the uploads flood sends more than that. */
export const WRITES_PER_WINDOW = { short: 30, full: 120 } as const;

/** No answer in the 5xx range and none missing. */
const noServerErrors = (answers: { status: number }[]) =>
  answers.every((answer) => answer.status >= 200 && answer.status < 500);

/**
 * MB of upload memory in use once the stalled senders have all been taken in: polled until it has
 * not changed for a second, or `withinMs` runs out.
 */
async function settledUploadMemory(metrics: ServerMetrics, withinMs: number): Promise<number> {
  const giveUpAt = performance.now() + withinMs;
  let last = -1;
  let steadySince = performance.now();
  for (;;) {
    const samples = await metrics.scrape();
    const used = sampleValue(samples, 'chunkflow_mempool_used_bytes', { pool: 'uploads' }) ?? 0;
    if (used !== last) steadySince = performance.now();
    last = used;
    const steady = performance.now() - steadySince >= 1_000;
    if (steady || performance.now() > giveUpAt) return Math.round(used / 2 ** 20);
    await delay(200);
  }
}

/**
 * F4: senders that start an upload and stall hold the upload memory; a real upload from another
 * tenant must still get 201.
 */
export const stalledUploads = defineScenario({
  name: 'stalled uploads',
  finding: 'F4',
  // Short mode runs its server with UPLOAD_MEMORY_MB=32, so 40 stalled senders exhaust the unfixed pool.
  sizes: { short: { sockets: 40, settleMs: 10_000 }, full: { sockets: 260, settleMs: 30_000 } },
  run: async ({ target, tenant, metrics }, { sockets, settleMs }): Promise<Outcome> => {
    const staller = tenant('staller');
    const collectionId = await createCollection(staller.client, 'hostile stalled uploads');
    const stalled = await stallUploads({
      url: target.url,
      apiKey: staller.api.apiKey,
      collectionId,
      count: sockets,
    });
    try {
      const held = await settledUploadMemory(metrics, settleMs);
      const victim = tenant('victim');
      const victimCollection = await createCollection(victim.client, 'hostile upload victim');
      const upload = await victim.api.upload(victimCollection, 'real.txt', prose(12_000));
      return {
        passed: upload.status === 201,
        answer: describeAnswer(upload),
        expected: "another tenant's upload 201",
        answerMs: upload.ms,
        detail: `${stalled.answered} of ${sockets} stalled senders answered or cut by then; upload memory in use ${held} MB`,
      };
    } finally {
      stalled.close();
    }
  },
});

/** F13: uploads count against RATE_LIMIT_WRITES. */
export const uploadsFlood = defineScenario({
  name: 'uploads flood',
  finding: 'F13',
  sizes: {
    short: { uploads: WRITES_PER_WINDOW.short + 10, limit: WRITES_PER_WINDOW.short },
    full: { uploads: WRITES_PER_WINDOW.full + 30, limit: WRITES_PER_WINDOW.full },
  },
  run: async ({ tenant }, { uploads }): Promise<Outcome> => {
    const flooder = tenant('flooder');
    const collectionId = await createCollection(flooder.client, 'hostile uploads flood');
    const answers = await inParallel(
      Array.from({ length: uploads }, (_, index) => index),
      8,
      (index) => flooder.api.upload(collectionId, `flood-${index}.txt`, `Flood document ${index}.`),
    );
    const limited = answers.filter((answer) => answer.status === 429);
    return {
      passed:
        noServerErrors(answers) &&
        limited.length > 0 &&
        limited.every((answer) => answer.code === 'RATE_LIMITED' && answer.correlationId !== undefined),
      answer: tally(answers),
      expected: '201 then 429 RATE_LIMITED, no 5xx',
    };
  },
});

/** Where the key guessers come from (a documentation address, named only in a header). */
const GUESSER_ADDRESS = '203.0.113.7';

/** F13: failed authentication is throttled per client address. */
export const wrongKeysFlood = defineScenario({
  name: 'wrong keys flood',
  finding: 'F13',
  sizes: { short: { requests: 300 }, full: { requests: 300 } },
  run: async ({ api }, { requests }): Promise<Outcome> => {
    const answers = await inParallel(
      Array.from({ length: requests }, () => `wrong-${randomBytes(24).toString('hex')}`),
      10,
      (key) => api.get('/collections', { apiKey: key, headers: { 'x-forwarded-for': GUESSER_ADDRESS } }),
    );
    const limited = answers.filter((answer) => answer.status === 429);
    return {
      passed:
        answers.every(
          (answer) => (answer.status === 401 || answer.status === 429) && isTypedRefusal(answer),
        ) && limited.length > 0,
      answer: tally(answers),
      expected: '401 then 429 RATE_LIMITED, all typed',
    };
  },
});

/** F13: large bodies without a key are refused, not read and parsed first. */
export const unauthenticatedBodies = defineScenario({
  name: 'unauthenticated 11 MB bodies',
  finding: 'F13',
  sizes: { short: { bodies: 4, megabytes: 11 }, full: { bodies: 8, megabytes: 11 } },
  run: async ({ api }, { bodies, megabytes }): Promise<Outcome> => {
    const body = JSON.stringify({ content: 'x'.repeat(megabytes * 1_000_000), strategy: 'fixed' });
    const answers = await Promise.all(
      Array.from({ length: bodies }, () =>
        api.post('/chunking/preview', body, {
          apiKey: null,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': GUESSER_ADDRESS },
        }),
      ),
    );
    return {
      passed: answers.every(isTypedRefusal),
      answer: tally(answers),
      expected: 'typed 401 (or 429/413)',
      answerMs: Math.max(...answers.map((answer) => answer.ms)),
    };
  },
});
