import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { runApplyUsers } from './apply-users.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { type ScenarioResult, summarise } from './report.ts';
import type { RequestStream, Scenario } from './scenarios.ts';
import type { LoadTarget } from './target.ts';

/**
 * How long a run lasts: a duration (`pnpm load`), or a number of requests per stream and one
 * apply round per user (a smoke run whose size does not depend on the machine's speed).
 */
export type RunBudget = { seconds: number } | { requestsPerStream: number };

export interface RunOptions {
  budget: RunBudget;
  connections: number;
}

/** Splits the connections by weight; every stream keeps at least one. */
function shareConnections(streams: RequestStream[], connections: number): number[] {
  const totalWeight = streams.reduce((sum, stream) => sum + stream.weight, 0);
  return streams.map((stream) => Math.max(1, Math.round((connections * stream.weight) / totalWeight)));
}

/**
 * One autocannon instance per stream and server, so every procedure gets its own latencies and
 * errors, and each server its share of the stream's connections (as a load balancer would).
 */
function cannons(
  target: LoadTarget,
  stream: RequestStream,
  connections: number,
  budget: RunBudget,
  recorder: LatencyRecorder,
): Promise<void>[] {
  const servers = Math.min(target.urls.length, connections);
  const part = (total: number, index: number) =>
    Math.floor(total / servers) + (index < total % servers ? 1 : 0);
  return target.urls.slice(0, servers).map((url, index) => {
    const serverBudget =
      'seconds' in budget ? budget : { requestsPerStream: part(budget.requestsPerStream, index) };
    return cannon(url, target.apiKey, stream, part(connections, index), serverBudget, recorder);
  });
}

function cannon(
  url: string,
  apiKey: string,
  stream: RequestStream,
  connections: number,
  budget: RunBudget,
  recorder: LatencyRecorder,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        ...('seconds' in budget ? { duration: budget.seconds } : { amount: budget.requestsPerStream }),
        timeout: 30,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        requests: [{ setupRequest: (request) => ({ ...request, ...stream.next() }) }],
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, status, _bytes, latencyMs) =>
      recorder.response(stream.procedure, status, latencyMs),
    );
    instance.on('reqError', (error: NodeJS.ErrnoException) =>
      recorder.transportError(stream.procedure, error.code ?? error.name),
    );
  });
}

export async function runScenario(
  scenario: Scenario,
  target: LoadTarget,
  options: RunOptions,
): Promise<ScenarioResult> {
  const plan = await scenario.prepare(target);
  const applyUsers = plan.apply?.users ?? 0;
  const shares = shareConnections(plan.streams, Math.max(1, options.connections - applyUsers));
  const loadAverageBefore = loadavg()[0] ?? 0;
  const sampler = new MetricsSampler(target.urls);
  await sampler.start();
  const recorder = new LatencyRecorder();
  const startedAt = new Date();
  const started = performance.now();
  const { budget } = options;
  const deadline = 'seconds' in budget ? started + budget.seconds * 1000 : undefined;
  await Promise.all([
    ...plan.streams.flatMap((stream, index) =>
      cannons(target, stream, shares[index] as number, budget, recorder),
    ),
    ...(plan.apply
      ? [
          runApplyUsers(target, plan.apply, recorder, (round) =>
            deadline === undefined ? round === 0 : performance.now() < deadline,
          ),
        ]
      : []),
  ]);
  const durationSeconds = (performance.now() - started) / 1000;
  await sampler.stop();
  return summarise({
    scenario,
    startedAt,
    durationSeconds,
    connections: shares.reduce((sum, share) => sum + share, 0) + applyUsers,
    servers: target.urls.length,
    recorder,
    samples: sampler.samples,
    loadAverageBefore,
  });
}
