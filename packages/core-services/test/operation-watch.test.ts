import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatedTenant, DEFAULT_SETTINGS, openOperationBackends } from '../src/index.ts';
import { OperationWatch } from '../src/operations/operation-watch.ts';
import type { ProgressStream } from '../src/progress/progress-stream.ts';
import { type EmbeddedServices, openEmbeddedServices, silentLogger } from './support/embedded.ts';

const HOUR_MS = 60 * 60 * 1000;

describe('OperationWatch', () => {
  let embedded: EmbeddedServices;
  let progress: ProgressStream;
  let tenant: AuthenticatedTenant;

  beforeAll(async () => {
    // No job consumer: applied operations stay where the test moves them.
    const backends = openOperationBackends(undefined, silentLogger, DEFAULT_SETTINGS);
    progress = backends.progress;
    embedded = await openEmbeddedServices({}, backends);
    tenant = await embedded.services.auth.authenticate(
      await embedded.services.auth.createApiKey('watch', 'test'),
    );
  });
  afterAll(() => embedded?.close());

  /** An operation moved to processing, as a worker moves it when it starts. */
  async function runningOperation(name: string): Promise<string> {
    const { services, database } = embedded;
    const collection = await services.collections.create(tenant, { name });
    await services.documents.create(tenant, collection.id, { name: 'a.txt', content: 'Some text.' });
    const { operationId } = await services.operations.apply(tenant, {
      collectionId: collection.id,
      strategy: 'fixed',
    });
    await database.operations.transition(operationId, ['pending'], 'processing');
    return operationId;
  }

  const watch = (operationId: string, pollMs: number) =>
    OperationWatch.start(
      operationId,
      {
        database: embedded.database,
        announcements: (id, listener) => progress.announcements(id, listener),
        logger: silentLogger,
      },
      { pollMs, timeoutMs: HOUR_MS },
    );

  /** Watches the operation while `stop` ends it; resolves once the watch has seen it stopped from outside. */
  async function stoppedFromOutside(operationId: string, pollMs: number, stop: () => Promise<unknown>) {
    const watching = await watch(operationId, pollMs);
    try {
      const aborted = once(watching.signal, 'abort');
      await stop();
      await aborted;
      return watching.stoppedFromOutside;
    } finally {
      watching.stop();
    }
  }

  it('hears a cancellation as it is announced, without waiting for its safety poll', async () => {
    const operationId = await runningOperation('announced');
    const cancel = () => embedded.services.operations.cancel(tenant, operationId);
    expect(await stoppedFromOutside(operationId, HOUR_MS, cancel)).toBe(true);
  });

  it('still notices a status change nobody announced, on its safety poll', async () => {
    const operationId = await runningOperation('unannounced');
    const unannounced = () =>
      embedded.database.operations.transition(operationId, ['processing'], 'cancelled');
    expect(await stoppedFromOutside(operationId, 50, unannounced)).toBe(true);
  });

  it('is not stopped by the announcements of an operation still processing', async () => {
    const operationId = await runningOperation('progressing');
    const watching = await watch(operationId, HOUR_MS);
    try {
      await progress.publish({ type: 'started', operationId, documentsTotal: 1 });
      const second = await runningOperation('control');
      // The control's cancellation is read after the first operation's announcement was handled.
      await stoppedFromOutside(second, HOUR_MS, () => embedded.services.operations.cancel(tenant, second));
      expect(watching.signal.aborted).toBe(false);
    } finally {
      watching.stop();
    }
  });
});
