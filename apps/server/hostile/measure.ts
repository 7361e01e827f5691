import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { type PrometheusSample, parsePrometheusText } from '../load/prometheus-text.ts';

/** What one attack cost the server, seen from outside while it ran. */
export interface Cost {
  /** Slowest `/healthz` answer during the attack (a poll still waiting at the end counts as far as it got). */
  worstHealthzMs: number;
  healthzPolls: number;
  /** prom-client's event-loop delay since the scrape before the attack (it resets on every scrape). */
  eventLoopMaxMs: number | undefined;
  eventLoopP99Ms: number | undefined;
  rssBeforeMb: number;
  /** Highest RSS seen during the attack, minus the RSS before it. */
  rssGrowthMb: number;
  rssAfterMb: number;
  /**
   * The same for the server's child processes together (the embedded database runs in one); null
   * when it has none.
   */
  childRssGrowthMb: number | null;
}

/** RSS of a process and every thread in it (threads share the address space), in MB. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /^VmRSS:\s*(\d+)/m.exec(status)?.[1];
  return kilobytes === undefined ? 0 : Number(kilobytes) / 1024;
}

/** Pids of a process's children (`/proc/<pid>/task/<tid>/children`, over every thread). */
async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => []);
  const lists = await Promise.all(
    tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')),
  );
  return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
}

/** RSS of a process's children together, in MB; null when it has none. */
export async function childrenRssMb(pid: number): Promise<number | null> {
  const children = await childPids(pid);
  if (children.length === 0) return null;
  const sizes = await Promise.all(children.map((child) => rssMb(child).catch(() => 0)));
  return sizes.reduce((sum, size) => sum + size, 0);
}

const POLL_GIVE_UP_MS = 300_000;
const EVENT_LOOP_SETTLE_MS = 100;

/** Polls `/healthz` every `intervalMs` (one poll at a time: a stalled loop shows as one long poll). */
class HealthPoller {
  #worstMs = 0;
  #polls = 0;
  #pollStartedAt: number | undefined;
  #peakRssMb = 0;
  #peakChildRssMb: number | null = null;
  #stopped = false;
  readonly #done: Promise<void>;

  constructor(
    url: string,
    readonly pid: number,
    intervalMs: number,
  ) {
    this.#done = this.#run(url, intervalMs);
  }

  async #run(url: string, intervalMs: number): Promise<void> {
    while (!this.#stopped) {
      this.#pollStartedAt = performance.now();
      // Bounded, so a server that never answers again cannot keep the harness alive.
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(POLL_GIVE_UP_MS) }).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      );
      this.#worstMs = Math.max(this.#worstMs, performance.now() - this.#pollStartedAt);
      this.#pollStartedAt = undefined;
      this.#polls += 1;
      this.#peakRssMb = Math.max(this.#peakRssMb, await rssMb(this.pid).catch(() => 0));
      const childRss = await childrenRssMb(this.pid);
      if (childRss !== null) this.#peakChildRssMb = Math.max(this.#peakChildRssMb ?? 0, childRss);
      await delay(intervalMs);
    }
  }

  /** Stops polling without waiting for a poll in flight (a hung server must not hang the harness). */
  stop(): { worstMs: number; polls: number; peakRssMb: number; peakChildRssMb: number | null } {
    this.#stopped = true;
    const inFlight = this.#pollStartedAt === undefined ? 0 : performance.now() - this.#pollStartedAt;
    void this.#done;
    return {
      worstMs: Math.max(this.#worstMs, inFlight),
      polls: this.#polls,
      peakRssMb: this.#peakRssMb,
      peakChildRssMb: this.#peakChildRssMb,
    };
  }
}

/** Where the harness watches the server: its URL, its process and its metrics token. */
export interface Watched {
  url: string;
  pid: number;
  metricsToken: string;
}

/**
 * The worst event-loop delay the server reports: prom-client's `nodejs_eventloop_lag_*_seconds`
 * (reset on every scrape) and any event-loop delay gauge of the server's own with the same suffix.
 */
function worstEventLoop(
  samples: PrometheusSample[],
  suffix: '_max_seconds' | '_p99_seconds',
): number | undefined {
  const values = samples
    .filter((sample) => /event_?loop/.test(sample.name) && sample.name.endsWith(suffix))
    .map((sample) => sample.value * 1000);
  return values.length === 0 ? undefined : Math.max(...values);
}

const worse = (current: number | undefined, next: number | undefined) =>
  next === undefined ? current : Math.max(current ?? 0, next);

/**
 * The server's `/metrics`, read by the harness (and by scenarios that need a gauge). Every scrape
 * resets prom-client's event-loop histogram, so the worst delay since `restart()` is kept here.
 */
export class ServerMetrics {
  #eventLoopMaxMs: number | undefined;
  #eventLoopP99Ms: number | undefined;

  constructor(readonly watched: Watched) {}

  async scrape(): Promise<PrometheusSample[]> {
    try {
      const response = await fetch(`${this.watched.url}/metrics`, {
        headers: { authorization: `Bearer ${this.watched.metricsToken}` },
        signal: AbortSignal.timeout(30_000),
      });
      const samples = parsePrometheusText(await response.text());
      this.#eventLoopMaxMs = worse(this.#eventLoopMaxMs, worstEventLoop(samples, '_max_seconds'));
      this.#eventLoopP99Ms = worse(this.#eventLoopP99Ms, worstEventLoop(samples, '_p99_seconds'));
      return samples;
    } catch {
      return [];
    }
  }

  /** Starts a new interval of event-loop figures (the scrape empties the server's histogram). */
  async restart(): Promise<void> {
    await this.scrape();
    this.#eventLoopMaxMs = undefined;
    this.#eventLoopP99Ms = undefined;
  }

  eventLoop(): { maxMs: number | undefined; p99Ms: number | undefined } {
    return { maxMs: this.#eventLoopMaxMs, p99Ms: this.#eventLoopP99Ms };
  }
}

/** Runs `attack` while watching the server: `/healthz` every ~20 ms, event-loop delay, RSS. */
export async function measured<Result>(
  metrics: ServerMetrics,
  attack: () => Promise<Result>,
): Promise<{ result: Result; cost: Cost; ms: number }> {
  const { watched } = metrics;
  await metrics.restart();
  const rssBeforeMb = await rssMb(watched.pid);
  const childRssBeforeMb = await childrenRssMb(watched.pid);
  const poller = new HealthPoller(watched.url, watched.pid, 20);
  const started = performance.now();
  const settled = await attack().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const polled = poller.stop();
  if ('error' in settled) throw settled.error;
  const ms = performance.now() - started;
  const rssAfterMb = await rssMb(watched.pid).catch(() => 0);
  const childRssAfterMb = await childrenRssMb(watched.pid);
  // Node's delay monitor records a stall on a later timer tick: give it one before reading.
  await delay(EVENT_LOOP_SETTLE_MS);
  await metrics.scrape();
  const eventLoop = metrics.eventLoop();
  return {
    result: settled.value,
    ms,
    cost: {
      worstHealthzMs: polled.worstMs,
      healthzPolls: polled.polls,
      eventLoopMaxMs: eventLoop.maxMs,
      eventLoopP99Ms: eventLoop.p99Ms,
      rssBeforeMb,
      rssGrowthMb: Math.max(polled.peakRssMb, rssAfterMb) - rssBeforeMb,
      rssAfterMb,
      childRssGrowthMb:
        childRssBeforeMb === null
          ? null
          : Math.max(polled.peakChildRssMb ?? 0, childRssAfterMb ?? 0) - childRssBeforeMb,
    },
  };
}
