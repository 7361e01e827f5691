import { randomBytes } from 'node:crypto';
import { createChunkflowClient } from '@chunkflow/client';
import { hashApiKey, type ProgressEvent, settingsFrom } from '@chunkflow/core-services';
import { openDatabase } from '@chunkflow/db';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { provisionBackend, type TestBackend } from './support/backends.ts';
import { followSubscription } from './support/sse.ts';

let backend: TestBackend | undefined;
afterAll(() => backend?.cleanup());

describe('embedded mode across a restart', () => {
  it('runs the operations a previous run left unfinished', async () => {
    backend = await provisionBackend('embedded');
    const apiKey = `test-${randomBytes(16).toString('hex')}`;
    const config = settingsFrom({
      ...backend.environment,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_API_KEY: apiKey,
    });
    const logger = pino({ level: 'silent' });

    const first = await startApp(config, logger);
    const client = createChunkflowClient({ url: first.url, apiKey });
    const { id: collectionId } = await client.collections.create.mutate({ name: 'survives restarts' });
    await client.documents.create.mutate({
      collectionId,
      name: 'a',
      content: 'First sentence. Second sentence.',
    });
    await first.close();

    // An operation recorded but never run, as a crash between apply and its job would leave it.
    const database = await openDatabase({ dataDir: `${backend.environment.CHUNKFLOW_DATA_DIR}/pgdata` });
    const owner = await database.tenants.findTenantByKeyHash(hashApiKey(apiKey));
    const pending = await database.operations.create(owner?.tenantId ?? '', {
      collectionId,
      strategy: 'sentence',
      config: {
        strategy: 'sentence',
        chunkSize: 1000,
        chunkOverlap: 0,
        sizeUnit: 'chars',
        tokenizer: 'cl100k_base',
      },
    });
    await database.close();

    const second = await startApp(config, logger);
    try {
      const again = createChunkflowClient({ url: second.url, apiKey });
      // Its progress stream ends with its last event, or its stored final state once it ended.
      const events = followSubscription<ProgressEvent>(
        second.url,
        'operations.progress',
        { operationId: pending.id },
        { apiKey },
      );
      let last: ProgressEvent | undefined;
      for await (const { data } of events) last = data;
      expect(last?.type).toBe('completed');
      expect((await again.operations.get.query({ id: pending.id })).status).toBe('completed');
      const chunks = await again.chunks.list.query({ collectionId, limit: 10 });
      expect(chunks.items.map((chunk) => chunk.content)).toEqual(['First sentence. Second sentence.']);
    } finally {
      await second.close();
    }
  });
});
