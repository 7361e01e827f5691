import { setTimeout as delay } from 'node:timers/promises';
import { chunk, normalizeConfig } from '@chunkflow/chunkers';
import type { JsonObject, Operation } from '@chunkflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthenticatedTenant,
  DEFAULT_SETTINGS,
  type JobConsumer,
  openOperationBackends,
  WorkerPoolExecutor,
} from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices, silentLogger } from './support/embedded.ts';
import { type HangingEmbedder, startHangingEmbedder } from './support/hanging-embedder.ts';

const prose = (topic: string, sentences: number) =>
  Array.from({ length: sentences }, (_, i) => `Sentence ${i} of the ${topic} document says something. `).join(
    '',
  );

/** Polls until `check` passes (outcomes, not times: the test's own timeout bounds the wait). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    await delay(25);
  }
}

interface Harness {
  embedded: EmbeddedServices;
  executor: WorkerPoolExecutor;
  consumer: JobConsumer;
  tenant: AuthenticatedTenant;
  close(): Promise<void>;
}

/** Embedded services whose operations run on a real Piscina pool through the in-process queue. */
async function startHarness(
  embedder: HangingEmbedder,
  operations: { jobTimeoutMs?: number } = {},
): Promise<Harness> {
  const executor = new WorkerPoolExecutor({ maxThreads: 1, offloadThresholdChars: 0 });
  const { jobs, progress } = openOperationBackends(undefined, silentLogger, DEFAULT_SETTINGS);
  const embedded = await openEmbeddedServices(
    {
      embedders: { allowedBaseUrls: [embedder.baseUrl] },
      // No safety poll within a test: a cancellation must be heard as it is announced.
      operations: { ...DEFAULT_SETTINGS.operations, cancellationPollMs: 60 * 60 * 1000, ...operations },
    },
    { jobs, progress, operationExecutor: executor },
  );
  // One job slot: a slot held by cancelled work would stall every later operation.
  const consumer = jobs.process(embedded.services.operationProcessor, { concurrency: 1 });
  const tenant = await embedded.services.auth.authenticate(
    await embedded.services.auth.createApiKey('operations', 'test'),
  );
  return {
    embedded,
    executor,
    consumer,
    tenant,
    async close() {
      await jobs.close();
      await executor.close();
      await embedded.close();
    },
  };
}

async function collectionWith(harness: Harness, name: string, contents: string[]) {
  const { services } = harness.embedded;
  const collection = await services.collections.create(harness.tenant, { name });
  const documents = [];
  for (const [index, content] of contents.entries()) {
    documents.push(
      await services.documents.create(harness.tenant, collection.id, { name: `${index}.txt`, content }),
    );
  }
  return { collectionId: collection.id, documentIds: documents.map((document) => document.id) };
}

const ended = (operation: Operation) => ['completed', 'failed', 'cancelled'].includes(operation.status);

describe('operations on a worker-thread pool', () => {
  let embedder: HangingEmbedder;
  let harness: Harness;

  beforeAll(async () => {
    embedder = await startHangingEmbedder();
    harness = await startHarness(embedder);
  });
  afterAll(async () => {
    await harness?.close();
    await embedder?.close();
  });

  const operation = (id: string) => harness.embedded.services.operations.get(harness.tenant, id);
  const storedChunksOf = async (collectionId: string, documentId: string) =>
    (
      await harness.embedded.database.chunks.list(
        harness.tenant.id,
        { collectionId, documentId },
        { limit: 1000 },
      )
    ).items;

  it('stores exactly the chunks and token counts the engine makes, computed on pool threads', async () => {
    const contents = [prose('first', 40), prose('second', 25)];
    const { collectionId, documentIds } = await collectionWith(harness, 'pooled', contents);
    const choice = { strategy: 'recursive', config: { chunkSize: 200, chunkOverlap: 20 } };
    const before = harness.executor.stats.completed;
    const { operationId } = await harness.embedded.services.operations.apply(harness.tenant, {
      collectionId,
      ...choice,
    });
    const done = await eventually(() => operation(operationId), ended);
    expect(done).toMatchObject({ status: 'completed', documentsDone: 2, documentsTotal: 2 });
    // The batch's documents were chunked by one pool task, not on this thread.
    expect(harness.executor.stats.completed - before).toBe(1);
    for (const [index, documentId] of documentIds.entries()) {
      const text = contents[index] as string;
      const expected = chunk(text, normalizeConfig({ ...choice.config, strategy: choice.strategy }));
      const stored = await storedChunksOf(collectionId, documentId);
      expect(
        stored.map(({ chunkIndex, startOffset, endOffset, content, tokenCount, operationId: by }) => ({
          chunkIndex,
          startOffset,
          endOffset,
          content,
          tokenCount,
          by,
        })),
      ).toEqual(
        expected.map((piece) => ({
          chunkIndex: piece.index,
          startOffset: piece.startOffset,
          endOffset: piece.endOffset,
          content: piece.content,
          tokenCount: piece.tokenCount,
          by: operationId,
        })),
      );
    }
  });

  it('stops a cancelled operation in flight (embedder call abandoned), frees its slot, refuses a second apply meanwhile', async () => {
    const { services } = harness.embedded;
    const stuck = await collectionWith(harness, 'outage', [prose('stuck', 30)]);
    const semantic = {
      strategy: 'semantic',
      config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'm', maxRetries: 10 } },
    };
    const { operationId } = await services.operations.apply(harness.tenant, {
      collectionId: stuck.collectionId,
      ...semantic,
    });
    const heldBefore = embedder.received;
    await eventually(
      async () => embedder.received,
      (received) => received > heldBefore,
    );

    // One active operation per collection: a second apply is refused while this one runs.
    await expect(
      services.operations.apply(harness.tenant, { collectionId: stuck.collectionId, strategy: 'fixed' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { activeOperationId: operationId } });

    const abandonedBefore = embedder.abandoned;
    await services.operations.cancel(harness.tenant, operationId);
    // The pool thread holding the embedder call is terminated: its connection closes.
    await eventually(
      async () => embedder.abandoned,
      (abandoned) => abandoned > abandonedBefore,
    );
    expect(await operation(operationId)).toMatchObject({ status: 'cancelled', documentsDone: 0 });

    // The only job slot is free again: another operation runs to completion.
    const next = await collectionWith(harness, 'after-outage', [prose('next', 10)]);
    const { operationId: nextId } = await services.operations.apply(harness.tenant, {
      collectionId: next.collectionId,
      strategy: 'fixed',
    });
    expect(await eventually(() => operation(nextId), ended)).toMatchObject({
      status: 'completed',
      documentsDone: 1,
    });
    // The cancelled collection may be applied again now.
    const again = await services.operations.apply(harness.tenant, {
      collectionId: stuck.collectionId,
      strategy: 'fixed',
    });
    expect(await eventually(() => operation(again.operationId), ended)).toMatchObject({
      status: 'completed',
    });
  });

  it('resumes from the plan it stored when it started: a document deleted or added since shifts nothing', async () => {
    const { services, database } = harness.embedded;
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => prose(`letter ${letter}`, 8));
    const { collectionId, documentIds } = await collectionWith(harness, 'resumed', texts.slice(0, 5));
    const [a, , , d, e] = documentIds as [string, string, string, string, string];
    // An attempt that crashed after three documents: the plan was stored, three counted done.
    const created = await database.operations.create(harness.tenant.id, {
      collectionId,
      strategy: 'fixed',
      config: { ...normalizeConfig({ strategy: 'fixed', chunkSize: 100, chunkOverlap: 0 }) } as JsonObject,
    });
    await database.operations.transition(created.id, ['pending'], 'processing', {
      documentsTotal: 5,
      documentPlan: documentIds,
    });
    await database.operations.setProgress(created.id, { documentsDone: 3, chunksCreated: 30 });
    await services.documents.delete(harness.tenant, a);
    const added = await services.documents.create(harness.tenant, collectionId, {
      name: 'f.txt',
      content: texts[5] as string,
    });

    // Its job again, as a queue runs it: split (slices that count the three as done), slices, finish.
    const job = { operationId: created.id };
    const slices = await services.operationProcessor.split(job);
    expect(slices).toBe(1);
    await services.operationProcessor.runSlice({ ...job, slice: 0 });
    await services.operationProcessor.finish(job);

    const stored = async (documentId: string) => storedChunksOf(collectionId, documentId);
    const [fromD, fromE] = [await stored(d), await stored(e)];
    expect(fromD.length).toBeGreaterThan(0);
    expect([...fromD, ...fromE].every((row) => row.operationId === created.id)).toBe(true);
    expect(await stored(added.id)).toEqual([]);
    expect(await operation(created.id)).toMatchObject({
      status: 'completed',
      documentsDone: 5,
      documentsTotal: 5,
      chunksCreated: 30 + fromD.length + fromE.length,
    });
  });
});

describe('an operation past its deadline', () => {
  let embedder: HangingEmbedder;
  let harness: Harness;

  beforeAll(async () => {
    embedder = await startHangingEmbedder();
    harness = await startHarness(embedder, { jobTimeoutMs: 8_000 });
  });
  afterAll(async () => {
    await harness?.close();
    await embedder?.close();
  });

  it('is abandoned and failed with BUDGET_EXCEEDED, and its slot freed', async () => {
    const { services } = harness.embedded;
    const { collectionId } = await collectionWith(harness, 'slow', [prose('slow', 20)]);
    const { operationId } = await services.operations.apply(harness.tenant, {
      collectionId,
      strategy: 'semantic',
      config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'm' } },
    });
    const failed = await eventually(() => services.operations.get(harness.tenant, operationId), ended);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED' } });
    await eventually(
      async () => embedder.abandoned,
      (abandoned) => abandoned > 0,
    );
  });
});

describe('operation priority', () => {
  it('lets a tenant lower its operations but never jump ahead of the default', async () => {
    const { jobs, progress } = openOperationBackends(undefined, silentLogger, DEFAULT_SETTINGS);
    const embedded = await openEmbeddedServices({}, { jobs, progress });
    try {
      const { services } = embedded;
      const tenant = await services.auth.authenticate(await services.auth.createApiKey('priorities', 'test'));
      const applyWith = async (name: string, priority?: number) => {
        const { id: collectionId } = await services.collections.create(tenant, { name });
        return (await services.operations.apply(tenant, { collectionId, strategy: 'fixed', priority }))
          .operationId;
      };
      // Queued before anything runs, in this order.
      const first = await applyWith('default');
      const pushy = await applyWith('pushy', 10);
      const modest = await applyWith('modest', 1);
      const ran: string[] = [];
      const consumer = jobs.process(
        {
          split: async (job) => {
            ran.push(job.operationId);
            return 0;
          },
          runSlice: async () => {},
          finish: async () => {},
          giveUp: async () => {},
        },
        { concurrency: 1 },
      );
      await eventually(
        async () => ran.length,
        (count) => count === 3,
      );
      await consumer.close();
      expect(ran).toEqual([first, pushy, modest]);
    } finally {
      await jobs.close();
      await embedded.close();
    }
    // An embedded database of its own starts slowly on a loaded machine.
  }, 90_000);
});

describe('statistics while an operation runs', () => {
  let embedder: HangingEmbedder;
  let harness: Harness;

  beforeAll(async () => {
    embedder = await startHangingEmbedder(['HOLD-A', 'HOLD-B']);
    harness = await startHarness(embedder);
  });
  afterAll(async () => {
    await harness?.close();
    await embedder?.close();
  });

  it('are dropped from the cache as each document gets its chunks', async () => {
    const { services } = harness.embedded;
    const statistics = () => services.statistics.forCollection(harness.tenant, collectionId);
    const { collectionId } = await collectionWith(harness, 'growing', [
      `${prose('first', 12)} HOLD-A`,
      `${prose('second', 12)} HOLD-B`,
    ]);
    const { operationId } = await services.operations.apply(harness.tenant, {
      collectionId,
      strategy: 'semantic',
      config: { embedder: { provider: 'openai', baseUrl: embedder.baseUrl, model: 'm' } },
    });
    // Running, documents in flight: figures cached with no chunks yet.
    await eventually(
      async () => embedder.held,
      (held) => held >= 1,
    );
    expect(await statistics()).toMatchObject({ totalChunks: 0, operationsByStatus: { processing: 1 } });

    const invalidations = services.statistics.stats().invalidations;
    embedder.release('HOLD-A');
    // The first document is stored and the second in flight: the cached figures were dropped (just
    // after the batch committed).
    const midway = await eventually(
      () => services.operations.get(harness.tenant, operationId),
      (running) => running.documentsDone === 1,
    );
    await eventually(
      async () => services.statistics.stats().invalidations,
      (count) => count > invalidations,
    );
    expect(midway).toMatchObject({ status: 'processing', documentsDone: 1 });
    expect(midway.chunksCreated).toBeGreaterThan(0);
    expect(await statistics()).toMatchObject({ totalChunks: midway.chunksCreated });
    await services.operations.cancel(harness.tenant, operationId);
  });
});
