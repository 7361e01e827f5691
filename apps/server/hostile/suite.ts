import { createChunkflowClient } from '@chunkflow/client';
import type { BackendMode } from '../test/support/backends.ts';
import { HostileApi } from './api.ts';
import { startHangingEmbedder } from './hanging-embedder.ts';
import { holdingsLost, storeHoldings } from './integrity.ts';
import { type Cost, measured, ServerMetrics } from './measure.ts';
import type { AttackContext, HostileScenario, Outcome, SuiteMode } from './scenario.ts';
import { scenarios as allScenarios } from './scenarios/index.ts';
import { WRITES_PER_WINDOW } from './scenarios/limits.ts';
import { startHostileTarget } from './target.ts';

/** The bar for any single hostile request ("Done when"): reported, never asserted by tests. */
export const TARGETS = { worstHealthzMs: 250, rssGrowthMb: 300 } as const;

// A tenant per write-heavy class: each key has its own RATE_LIMIT_WRITES budget, and the bootstrap
// key's must last through the operations classes.
const TENANTS = [
  'victim',
  'staller',
  'flooder',
  'logged',
  'export owner',
  'file sender',
  'bulk prober',
  'importer',
] as const;

/** Per mode: how long one request, and one operation, may take before the harness stops waiting. */
const PATIENCE: Record<SuiteMode, { requestMs: number; settleMs: number }> = {
  short: { requestMs: 60_000, settleMs: 30_000 },
  full: { requestMs: 300_000, settleMs: 180_000 },
};

export interface ScenarioResult {
  name: string;
  finding: string;
  size: unknown;
  outcome: Outcome;
  /** The whole scenario, set-up included (but a prepared scenario's `prepare`). */
  ms: number;
  cost: Cost;
  withinTargets: boolean;
}

export interface SuiteResult {
  mode: SuiteMode;
  backend: BackendMode;
  startedAt: string;
  results: ScenarioResult[];
  /** After every attack: the server process still runs and answers `/healthz`. */
  alive: boolean;
  /** Documents stored before the attacks that are gone or changed since (empty: data intact). */
  dataLost: string[];
  /** The suite's own API keys found in the server's stdout. */
  keysInLog: number;
}

export interface SuiteOptions {
  mode: SuiteMode;
  backend: BackendMode;
  /** Only scenarios whose name contains one of these. */
  only?: readonly string[];
  /** Called as each scenario ends (progress on a terminal). */
  onResult?: (result: ScenarioResult) => void;
}

/** Server settings the attacks assume; the rest are the defaults `npm start` runs with. */
function serverSettings(mode: SuiteMode, embedderUrl: string): Record<string, string> {
  return {
    EMBEDDER_ALLOWED_URLS: embedderUrl,
    RATE_LIMIT_WRITES: String(WRITES_PER_WINDOW[mode]),
    // Reads are not under attack here; the harness's own polling and checks must not run out of them.
    RATE_LIMIT_READS: '100000',
    // Key guessers send from their own addresses (X-Forwarded-For, as behind a proxy): blocking one
    // must not block the harness's own checks, which come from 127.0.0.1 itself.
    TRUST_PROXY: '127.0.0.1',
    // A pool small enough for 40 stalled senders to hold it all, and a short wait for it.
    ...(mode === 'short' ? { UPLOAD_MEMORY_MB: '32', UPLOAD_WAIT_MS: '5000' } : {}),
  };
}

const harnessError = (error: unknown): Outcome => ({
  passed: false,
  answer: `harness error: ${(error as Error).message}`,
  expected: 'an answer',
});

async function runScenario(scenario: HostileScenario, context: AttackContext): Promise<ScenarioResult> {
  const attack = await scenario.prepare(context).catch((error: unknown) => async () => harnessError(error));
  const { result: outcome, cost, ms } = await measured(context.metrics, () => attack().catch(harnessError));
  return {
    name: scenario.name,
    finding: scenario.finding,
    size: scenario.size(context.mode),
    outcome,
    ms,
    cost,
    withinTargets: cost.worstHealthzMs <= TARGETS.worstHealthzMs && cost.rssGrowthMb <= TARGETS.rssGrowthMb,
  };
}

/** Starts a server of its own, stores data, runs every attack against it, then checks it survived intact. */
export async function runHostileSuite(options: SuiteOptions): Promise<SuiteResult> {
  const startedAt = new Date().toISOString();
  const embedder = await startHangingEmbedder();
  const target = await startHostileTarget({
    backend: options.backend,
    environment: serverSettings(options.mode, embedder.baseUrl),
    tenants: TENANTS,
  }).catch(async (error: unknown) => {
    await embedder.close();
    throw error;
  });
  try {
    const patience = PATIENCE[options.mode];
    const clientFor = (apiKey: string) => ({
      api: new HostileApi(target.url, apiKey, patience.requestMs),
      client: createChunkflowClient({ url: target.url, apiKey }),
    });
    const tenants = new Map(Object.entries(target.keys).map(([name, key]) => [name, clientFor(key)]));
    const bootstrap = clientFor(target.apiKey);
    const context: AttackContext = {
      target,
      metrics: new ServerMetrics(target),
      ...bootstrap,
      tenant(name) {
        const found = tenants.get(name);
        if (found === undefined) throw new Error(`no tenant ${name} in this suite`);
        return found;
      },
      mode: options.mode,
      settleWithinMs: patience.settleMs,
      hangingEmbedder: embedder,
    };
    const holdings = await storeHoldings(bootstrap.client, patience.settleMs);
    const selected = allScenarios.filter(
      (scenario) => options.only === undefined || options.only.some((part) => scenario.name.includes(part)),
    );
    const results: ScenarioResult[] = [];
    for (const scenario of selected) {
      const result = await runScenario(scenario, context);
      results.push(result);
      options.onResult?.(result);
    }
    const healthz = await fetch(`${target.url}/healthz`, {
      signal: AbortSignal.timeout(patience.requestMs),
    }).then(
      (response) => response.status,
      () => 0,
    );
    const keys = [target.apiKey, ...Object.values(target.keys)];
    return {
      mode: options.mode,
      backend: options.backend,
      startedAt,
      results,
      alive: target.alive() && healthz === 200,
      dataLost: await holdingsLost(bootstrap.client, holdings),
      keysInLog: keys.filter((key) => target.stdout().includes(key)).length,
    };
  } finally {
    await target.close();
    await embedder.close();
  }
}
