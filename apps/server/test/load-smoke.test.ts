import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLY_COMPLETION } from '../load/apply-users.ts';
import { runLoad } from '../load/load.ts';
import type { ScenarioResult } from '../load/report.ts';

const REQUESTS_PER_STREAM = 12;

/** `pnpm load`'s machinery for a couple of seconds: what it measures is checked, never how fast. */
describe('load scenarios (a short run of pnpm load)', () => {
  let outputDir: string;

  beforeAll(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'chunkflow-load-'));
  });
  afterAll(async () => {
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  });

  it('runs preview-heavy and mixed against two server processes and writes complete reports', async () => {
    const reports = await runLoad({
      scenarios: ['preview-heavy', 'mixed'],
      budget: { requestsPerStream: REQUESTS_PER_STREAM },
      connections: 8,
      servers: 2,
      outputDir,
      command: 'load-smoke',
    });

    const [previewHeavy, mixed] = reports.map((report) => report.result);
    expect(Object.keys(previewHeavy?.procedures ?? {})).toEqual(['chunking.preview']);
    expect(Object.keys(mixed?.procedures ?? {}).sort()).toEqual(
      [
        APPLY_COMPLETION,
        'chunking.applyToCollection',
        'chunking.compare',
        'chunking.preview',
        'chunking.statistics',
        'documents.list',
        'operations.list',
      ].sort(),
    );
    for (const report of reports) {
      const { result } = report;
      for (const [procedure, summary] of Object.entries(result.procedures)) {
        // autocannon streams send exactly their budget; each apply user runs one round.
        expect(summary.requests).toBe(procedure.includes('apply') ? 2 : REQUESTS_PER_STREAM);
        expect(summary.errors).toBe(0);
      }
      // Counters come from both servers' own /metrics: every preview looked the cache up or joined
      // an identical one in flight (and so does each strategy a comparison chunks).
      expect(result.servers).toBe(2);
      const { hits, misses, joinedInFlight } = result.previewCache;
      const previews = result.procedures['chunking.preview']?.requests ?? 0;
      // Each preview answer is sorted by what it says it was; a fresh server computes its first.
      const computed = result.outcomes['chunking.preview, computed']?.requests ?? 0;
      const cached = result.outcomes['chunking.preview, cached']?.requests ?? 0;
      expect(computed + cached).toBe(previews);
      expect(computed).toBeGreaterThanOrEqual(1);
      if (result.scenario === 'preview-heavy') expect(hits + misses + joinedInFlight).toBe(previews);
      else expect(hits + misses + joinedInFlight).toBeGreaterThan(previews);
      expect(result.memory.rssPeakBytes).toBeGreaterThanOrEqual(result.memory.rssEndBytes);
      expect(result.timeline.server.length).toBeGreaterThanOrEqual(2);
      expect(result.targets.map((check) => check.name)).toContain('error rate');

      const written = JSON.parse(
        await readFile(join(outputDir, `${result.scenario}.json`), 'utf8'),
      ) as ScenarioResult;
      expect(written.totals).toEqual(result.totals);
      expect(await readFile(join(outputDir, `${result.scenario}.md`), 'utf8')).toBe(report.markdown);
      expect(report.markdown).toMatch(/^\| `chunking\.preview` +\| +\d+ \|/m);
      expect(report.markdown).toMatch(/^\| `chunking\.preview`, computed +\| +\d+ \|/m);
      for (const chart of ['latency', 'rss']) {
        const svg = await readFile(join(outputDir, `${result.scenario}-${chart}.svg`), 'utf8');
        expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(svg).toContain('<polyline points="');
      }
    }
  }, 180_000);

  it('paces a run at a requested rate: exactly its requests, each timed from when it was due', async () => {
    const [report] = await runLoad({
      scenarios: ['preview-heavy'],
      budget: { requestsPerStream: REQUESTS_PER_STREAM },
      connections: 4,
      ratePerSecond: 40,
      outputDir,
      command: 'load-smoke --rate 40',
    });
    const result = report?.result;
    expect(result?.offeredRatePerSecond).toBe(40);
    expect(result?.procedures['chunking.preview']).toMatchObject({
      requests: REQUESTS_PER_STREAM,
      errors: 0,
    });
    const { hits, misses, joinedInFlight } = result?.previewCache ?? {
      hits: 0,
      misses: 0,
      joinedInFlight: 0,
    };
    expect(hits + misses + joinedInFlight).toBe(REQUESTS_PER_STREAM);
    const outcomes = Object.values(result?.outcomes ?? {}).map((summary) => summary.requests);
    expect(outcomes.reduce((sum, requests) => sum + requests, 0)).toBe(REQUESTS_PER_STREAM);
    expect(result?.targets.map((check) => check.name)).toContain(
      'preview p99 (documents ≤ 100 KB), after warm-up',
    );
    expect(report?.markdown).toContain('- Load: 40 requests/s offered in all');
  }, 120_000);
});
