import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { runApplyUsers } from './apply-users.ts';
import { LatencyRecorder } from './latency-recorder.ts';
import { MetricsSampler } from './metrics-sampler.ts';
import { runPacedStream } from './paced-stream.ts';
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
  /**
   * Requests per second the streams offer in all, shared by weight, sent on schedule whether or
   * not answers came back (paced-stream.ts): latency at a chosen load. Absent, every connection
   * sends as fast as answers come back, so the run measures the server at saturation, where
   * latency is connections ÷ throughput.
   */
  ratePerSecond?: number | undefined;
}

/** Each stream's share of `total` by weight. */
function shareByWeight(streams: RequestStream[], total: number): number[] {
  const totalWeight = streams.reduce((sum, stream) => sum + stream.weight, 0);
  return streams.map((stream) => (total * stream.weight) / totalWeight);
}

/** One stream's load: its connections and, when the run is paced, the requests/s they offer. */
interface StreamLoad {
  connections: number;
  ratePerSecond: number | undefined;
}

/**
 * Per stream and server: one autocannon instance at full speed, or a paced open loop at the
 * stream's rate. Every procedure so gets its own latencies and errors, and each server its share
 * of the stream's connections and rate (as a load balancer would).
 */
function streamLoads(
  target: LoadTarget,
  stream: RequestStream,
  load: StreamLoad,
  budget: RunBudget,
  recorder: LatencyRecorder,
): Promise<void>[] {
  const servers = Math.min(target.urls.length, load.connections);
  const part = (total: number, index: number) =>
    Math.floor(total / servers) + (index < total % servers ? 1 : 0);
  return target.urls.slice(0, servers).map((url, index) => {
    const connections = part(load.connections, index);
    const serverBudget =
      'seconds' in budget ? budget : { requestsPerStream: part(budget.requestsPerStream, index) };
    if (load.ratePerSecond === undefined) {
      return cannon(url, target.apiKey, stream, connections, serverBudget, recorder);
    }
    const paced = {
      url,
      apiKey: target.apiKey,
      connections,
      ratePerSecond: load.ratePerSecond / servers,
      budget: 'seconds' in serverBudget ? serverBudget : { requests: serverBudget.requestsPerStream },
    };
    return runPacedStream(stream, paced, recorder);
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
        requests: [
          {
            setupRequest: (request) => ({ ...request, ...stream.next() }),
            // Called with each answer's body just before its 'response' event (autocannon keeps
            // the body either way).
            onResponse: (_status: number, body: string) => {
              outcome = stream.outcomeOf?.(body);
            },
          },
        ],
      },
      (error) => (error ? reject(error) : resolve()),
    );
    let outcome: string | undefined;
    instance.on('response', (_client, status, _bytes, latencyMs) =>
      recorder.response(stream.procedure, status, latencyMs, outcome),
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
  const applyUsers = plan.apply?.collectionIds.length ?? 0;
  const shares = shareByWeight(plan.streams, Math.max(1, options.connections - applyUsers)).map((share) =>
    Math.max(1, Math.round(share)),
  );
  const rates =
    options.ratePerSecond === undefined ? undefined : shareByWeight(plan.streams, options.ratePerSecond);
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
      streamLoads(
        target,
        stream,
        { connections: shares[index] as number, ratePerSecond: rates?.[index] },
        budget,
        recorder,
      ),
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
    offeredRatePerSecond: options.ratePerSecond,
    servers: target.urls.length,
    recorder,
    samples: sampler.samples,
    loadAverageBefore,
  });
}
