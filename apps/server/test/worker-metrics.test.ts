import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';

describe('operation outcomes as metrics (PostgreSQL, Redis, a worker process)', () => {
  let cluster: OperationsCluster;

  beforeAll(async () => {
    cluster = await startOperationsCluster('services');
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('counts finished operations in the worker that ran them, at its /metrics endpoint, for the token holder', async () => {
    const token = 'worker-scrape-token';
    const worker = await cluster.startWorker({ WORKER_METRICS_PORT: '0', METRICS_TOKEN: token });
    const started = worker.logs.find((line) => line.msg === 'worker started');
    const metricsUrl = `http://127.0.0.1:${String(started?.metricsPort)}/metrics`;
    const scrape = () => fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    expect((await fetch(metricsUrl)).status).toBe(401);
    expect((await fetch(metricsUrl, { headers: { authorization: 'Bearer guess' } })).status).toBe(401);
    expect(await (await scrape()).text()).toContain('chunkflow_operations_finished_total{status="failed"} 0');

    const { id: collectionId } = await cluster.client.collections.create.mutate({ name: 'metered' });
    await cluster.client.documents.create.mutate({
      collectionId,
      name: 'a',
      content: 'One sentence. Another one.',
    });
    const { operationId } = await cluster.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'sentence',
    });
    while ((await cluster.client.operations.get.query({ id: operationId })).status !== 'completed')
      await delay(100);

    // The worker counts the outcome once the status change has committed, so a scrape racing that
    // commit's reply may come just before it: read until it shows (or the test times out).
    const completed = 'chunkflow_operations_finished_total{status="completed"} 1';
    let text = await (await scrape()).text();
    while (!text.includes(completed)) {
      await delay(50);
      text = await (await scrape()).text();
    }
    expect(text).toContain('chunkflow_operations_finished_total{status="failed"} 0');
    expect(text).toMatch(/chunkflow_queue_waiting_jobs \d+/);
    // The worker's event-loop delay since the last scrape (perf_hooks.monitorEventLoopDelay).
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds \d/);
    expect(text).toMatch(/nodejs_eventloop_lag_max_seconds \d/);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });
});
