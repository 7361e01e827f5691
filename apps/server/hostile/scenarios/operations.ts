import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Answer } from '../api.ts';
import {
  definePreparedScenario,
  defineScenario,
  describeAnswer,
  type Outcome,
  typedRefusal,
} from '../scenario.ts';
import {
  contiguous,
  createCollection,
  createDocuments,
  documentChunks,
  settledOperation,
  startedOperation,
} from '../workflow.ts';
import { prose } from './chunking-cost.ts';

const operationIdOf = (answer: Answer) => (answer.body as { operationId?: string } | undefined)?.operationId;

/** F2: a multi-MB document applied with a dense fixed config, while `/healthz` is polled. */
export const largeApply = defineScenario({
  name: 'large apply',
  finding: 'F2',
  sizes: { short: { megabytes: 1 }, full: { megabytes: 10 } },
  run: async ({ api, client, settleWithinMs }, { megabytes }): Promise<Outcome> => {
    const expected = 'upload 201, apply 202, operation completed';
    const collectionId = await createCollection(client, 'hostile large apply');
    const upload = await api.upload(collectionId, 'big.txt', prose(megabytes * 1_000_000));
    if (upload.status !== 201) return { passed: false, answer: `upload ${describeAnswer(upload)}`, expected };
    const started = performance.now();
    const apply = await api.post('/chunking/apply', { collectionId, ...denseFixed });
    const operationId = operationIdOf(apply);
    if (apply.status !== 202 || operationId === undefined) {
      return { passed: false, answer: `apply ${describeAnswer(apply)}`, expected };
    }
    const operation = await settledOperation(client, operationId, settleWithinMs);
    return {
      passed: operation.status === 'completed',
      answer: `202, then ${operation.status}`,
      expected,
      answerMs: performance.now() - started,
      detail: `${operation.chunksCreated} chunks; upload ${Math.round(upload.ms)} ms, apply answered in ${Math.round(apply.ms)} ms`,
    };
  },
});

/** The dense config of the large applies: a chunk every 100 characters (100,000 for 10 MB). */
const denseFixed = { strategy: 'fixed', config: { chunkSize: 1000, chunkOverlap: 900 } } as const;

/**
 * A document chunked densely already, applied again: its whole chunk set is replaced (the old
 * rows deleted, as many inserted) while the same tenant keeps asking for the operation, each
 * request authenticated against the database. Set-up (upload, first apply) is not measured.
 */
export const largeReapply = definePreparedScenario({
  name: 'large re-apply',
  finding: 'new',
  sizes: { short: { megabytes: 1 }, full: { megabytes: 10 } },
  prepare: async ({ api, client, settleWithinMs }, { megabytes }) => {
    const collectionId = await createCollection(client, 'hostile large re-apply');
    const upload = await api.upload(collectionId, 'big.txt', prose(megabytes * 1_000_000));
    const first = operationIdOf(await api.post('/chunking/apply', { collectionId, ...denseFixed }));
    const settled = first === undefined ? undefined : await settledOperation(client, first, settleWithinMs);
    return { collectionId, stored: upload.status === 201 && settled?.status === 'completed' };
  },
  run: async ({ api, client, settleWithinMs }, _size, { collectionId, stored }): Promise<Outcome> => {
    const expected = 'apply 202, operation completed; reads served meanwhile';
    if (!stored) return { passed: false, answer: 'set-up failed (upload or first apply)', expected };
    const started = performance.now();
    const apply = await api.post('/chunking/apply', { collectionId, ...denseFixed });
    const operationId = operationIdOf(apply);
    if (apply.status !== 202 || operationId === undefined) {
      return { passed: false, answer: `apply ${describeAnswer(apply)}`, expected };
    }
    const giveUpAt = performance.now() + settleWithinMs;
    let worstReadMs = 0;
    let operation: Awaited<ReturnType<typeof client.operations.get.query>>;
    for (;;) {
      const asked = performance.now();
      operation = await client.operations.get.query({ id: operationId });
      worstReadMs = Math.max(worstReadMs, performance.now() - asked);
      if (['completed', 'failed', 'cancelled'].includes(operation.status) || performance.now() > giveUpAt)
        break;
      await delay(100);
    }
    return {
      passed: operation.status === 'completed',
      answer: `202, then ${operation.status}`,
      expected,
      answerMs: performance.now() - started,
      detail: `${operation.chunksCreated} chunks replaced; slowest operations.get meanwhile ${Math.round(worstReadMs)} ms`,
    };
  },
});

/**
 * F5: operations whose embedder hangs are cancelled; their job slots must come free, so an
 * ordinary apply after them completes.
 */
export const cancelHangingEmbedder = defineScenario({
  name: 'cancel hung-embedder ops',
  finding: 'F5',
  // As many as there are job slots (EMBEDDED_JOB_CONCURRENCY and WORKER_CONCURRENCY default to 2).
  sizes: { short: { operations: 2, sentences: 100 }, full: { operations: 2, sentences: 100 } },
  run: async (
    { api, client, hangingEmbedder, settleWithinMs },
    { operations, sentences },
  ): Promise<Outcome> => {
    const expected = 'cancel 200 (or apply refused 4xx); a later apply completes';
    const notes: string[] = [];
    for (let index = 0; index < operations; index += 1) {
      const collectionId = await createCollection(client, `hostile hung ${index}`);
      await createDocuments(client, collectionId, [prose(sentences * 40, `Hung ${index}. `)]);
      const apply = await api.post('/chunking/apply', {
        collectionId,
        strategy: 'semantic',
        config: {
          embedder: {
            provider: 'openai',
            baseUrl: hangingEmbedder.baseUrl,
            model: 'm',
            batchSize: 1,
            maxRetries: 10,
          },
        },
      });
      const operationId = operationIdOf(apply);
      if (operationId === undefined) {
        // A server that refuses such embedder settings outright has nothing to cancel.
        if (apply.status >= 500 || apply.status < 400 || apply.code === undefined) {
          return { passed: false, answer: `apply ${describeAnswer(apply)}`, expected };
        }
        notes.push(`apply ${describeAnswer(apply)}`);
        continue;
      }
      const started = await startedOperation(client, operationId, 5_000);
      if (started.status === 'failed' || started.status === 'completed') {
        const code = (started.error as { code?: string } | null)?.code;
        notes.push(`${started.status} before cancel${code ? ` (${code})` : ''}`);
        // The server accepted this embedder URL (it is allowed): whoever runs the job must too.
        if (code === 'INVALID_CONFIG') {
          return {
            passed: false,
            answer: notes.join(', '),
            expected,
            detail: 'the job was refused a config the server accepted',
          };
        }
        // Otherwise nothing is left to cancel: the server gave up on the embedder by itself.
        continue;
      }
      const cancel = await api.delete(`/operations/${operationId}`);
      notes.push(`cancel ${describeAnswer(cancel)}`);
      if (cancel.status !== 200) return { passed: false, answer: notes.join(', '), expected };
    }
    const collectionId = await createCollection(client, 'hostile after hung');
    await createDocuments(client, collectionId, [prose(5_000, 'After. ')]);
    const started = performance.now();
    const apply = await api.post('/chunking/apply', { collectionId, strategy: 'recursive' });
    const operationId = operationIdOf(apply);
    if (apply.status !== 202 || operationId === undefined) {
      return { passed: false, answer: `${notes.join(', ')}; apply ${describeAnswer(apply)}`, expected };
    }
    const operation = await settledOperation(client, operationId, settleWithinMs);
    return {
      passed: operation.status === 'completed',
      answer: `${notes.join(', ')}; later apply ${operation.status}`,
      expected,
      answerMs: performance.now() - started,
      detail: `the hanging embedder saw ${hangingEmbedder.connections} connection(s)`,
    };
  },
});

/**
 * F10: two applies on one collection at once: the second refused with 409 CONFLICT, or both run one
 * after the other; every document must end with the chunks of one operation, never a mix.
 */
export const concurrentApplies = defineScenario({
  name: 'concurrent applies',
  finding: 'F10',
  sizes: {
    short: { documents: 10, chars: 30_000, gapMs: 100 },
    full: { documents: 30, chars: 100_000, gapMs: 300 },
  },
  run: async ({ api, client, settleWithinMs }, { documents, chars, gapMs }): Promise<Outcome> => {
    const expected = 'second 202 or 409 CONFLICT; all documents chunked by one operation';
    const collectionId = await createCollection(client, 'hostile concurrent applies');
    const documentIds = await createDocuments(
      client,
      collectionId,
      Array.from({ length: documents }, (_, index) => prose(chars, `Document ${index}. `)),
    );
    const first = api.post('/chunking/apply', {
      collectionId,
      strategy: 'fixed',
      config: { chunkSize: 100, chunkOverlap: 50 },
    });
    await delay(gapMs);
    const second = await api.post('/chunking/apply', {
      collectionId,
      strategy: 'recursive',
      config: { chunkSize: 2000 },
    });
    const firstAnswer = await first;
    const answers = `first ${describeAnswer(firstAnswer)}, second ${describeAnswer(second)}`;
    const secondRefused =
      second.status === 409 && second.code === 'CONFLICT' && second.correlationId !== undefined;
    const operationIds = [firstAnswer, second].map(operationIdOf).filter((id) => id !== undefined);
    if (firstAnswer.status !== 202 || !(second.status === 202 || secondRefused)) {
      return { passed: false, answer: answers, expected };
    }
    const statuses = [];
    for (const operationId of operationIds) {
      statuses.push((await settledOperation(client, operationId, settleWithinMs)).status);
    }
    const writers = new Set<string | null>();
    let broken = 0;
    for (const documentId of documentIds) {
      const chunks = await documentChunks(client, collectionId, documentId);
      const own = new Set(chunks.map((chunk) => chunk.operationId));
      for (const writer of own) writers.add(writer);
      if (own.size !== 1 || !contiguous(chunks)) broken += 1;
    }
    return {
      passed: statuses.every((status) => status === 'completed') && writers.size === 1 && broken === 0,
      answer: `${answers}; ${statuses.join('/')}`,
      expected,
      detail: `${documents} documents written by ${writers.size} operation(s); ${broken} with mixed or gapped chunks`,
    };
  },
});

/**
 * An apply whose `documentIds` list (as long as the schema allows) names another tenant's
 * document among unknown ones: refused 404 before anything is recorded, and one id over the list
 * limit 400; no operation appears in the caller's collection.
 */
export const foreignDocumentIds = defineScenario({
  name: 'apply listing foreign documents',
  finding: 'F17',
  sizes: { short: { ids: 10_000 }, full: { ids: 10_000 } },
  run: async ({ client, tenant }, { ids }): Promise<Outcome> => {
    const ownerCollection = await createCollection(client, 'hostile foreign documents');
    const [foreignId = ''] = await createDocuments(client, ownerCollection, [
      'A document of another tenant.',
    ]);
    const applier = tenant('victim');
    const collectionId = await createCollection(applier.client, 'hostile foreign apply');
    const listed = [foreignId, ...Array.from({ length: ids - 1 }, () => randomUUID())];
    const apply = (documentIds: string[]) =>
      applier.api.post('/chunking/apply', { collectionId, strategy: 'recursive', documentIds });
    const refused = await apply(listed);
    const overLimit = await apply([...listed, randomUUID()]);
    const recorded = (await applier.client.operations.list.query({ collectionId })).items.length;
    const outcome = typedRefusal(refused, ['NOT_FOUND']);
    return {
      ...outcome,
      passed: outcome.passed && typedRefusal(overLimit, ['VALIDATION_ERROR']).passed && recorded === 0,
      answer: `${describeAnswer(refused)}; ${ids + 1} ids: ${describeAnswer(overLimit)}`,
      expected: '404 NOT_FOUND, 400 VALIDATION_ERROR over the limit, no operation recorded',
      detail: `${recorded} operation(s) recorded`,
    };
  },
});
