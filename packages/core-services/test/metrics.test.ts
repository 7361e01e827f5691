import { MemoryPool } from '@chunkflow/mempool';
import { describe, expect, it } from 'vitest';
import { ServiceMetrics, statementKind } from '../src/index.ts';

describe('ServiceMetrics', () => {
  it('labels statements by kind, never by their text', () => {
    expect(statementKind('SELECT 1')).toBe('select');
    expect(statementKind('  insert into "chunks" …')).toBe('insert');
    expect(statementKind('WITH x AS (SELECT 1) SELECT * FROM x')).toBe('with');
    expect(statementKind('BEGIN')).toBe('transaction');
    expect(statementKind('VACUUM')).toBe('other');
  });

  it('exports every registered MemoryPool by name, read at scrape time', async () => {
    const metrics = new ServiceMetrics();
    const pool = new MemoryPool({ maxBytes: 1024 * 1024 });
    const unregister = metrics.memoryPools.register('uploads', pool);
    const lease = await pool.acquire(1000);
    let text = await metrics.render();
    expect(text).toContain('chunkflow_mempool_max_bytes{pool="uploads"} 1048576');
    expect(text).toMatch(/chunkflow_mempool_used_bytes\{pool="uploads"\} [1-9]\d*/);
    expect(text).toContain('chunkflow_mempool_active_buffers{pool="uploads"} 1');
    lease.release();
    text = await metrics.render();
    expect(text).toContain('chunkflow_mempool_used_bytes{pool="uploads"} 0');
    unregister();
    expect(await metrics.render()).not.toContain('pool="uploads"');
  });

  it('reads registered gauges at every scrape, labelled or not', async () => {
    const metrics = new ServiceMetrics();
    let depth = 3;
    metrics.registerGauge('chunkflow_test_depth', 'test depth', () => depth);
    metrics.registerGauge(
      'chunkflow_test_jobs',
      'test jobs',
      async () => [
        { labels: { state: 'waiting' }, value: depth },
        { labels: { state: 'active' }, value: 1 },
      ],
      ['state'],
    );
    expect(await metrics.render()).toContain('chunkflow_test_depth 3');
    depth = 5;
    const text = await metrics.render();
    expect(text).toContain('chunkflow_test_depth 5');
    expect(text).toContain('chunkflow_test_jobs{state="waiting"} 5');
    expect(text).toContain('chunkflow_test_jobs{state="active"} 1');
  });
});
