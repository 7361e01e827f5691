import { parsePrometheusText, sampleValue } from './prometheus-text.ts';

/** What the servers report at one moment (with several servers: their sum, or their worst lag). */
export interface ServerSample {
  /** Seconds since the sampler started. */
  second: number;
  rssBytes: number;
  /** User + system CPU the server process has used since it started. */
  cpuSeconds: number;
  /** V8 heap in use and memory outside it (Buffers, strings held by native code). */
  heapUsedBytes: number;
  externalBytes: number;
  /** Event-loop delay since the previous scrape (prom-client resets its histogram per scrape). */
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
  previewCacheHits: number;
  previewCacheMisses: number;
  previewCacheJoins: number;
}

type ServerFigures = Omit<ServerSample, 'second'>;

/** One server's figures from its `/metrics` text. */
function serverFigures(text: string): ServerFigures {
  const samples = parsePrometheusText(text);
  const read = (name: string, labels?: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;
  return {
    rssBytes: read('process_resident_memory_bytes'),
    cpuSeconds: read('process_cpu_seconds_total'),
    heapUsedBytes: read('nodejs_heap_size_used_bytes'),
    externalBytes: read('nodejs_external_memory_bytes'),
    eventLoopLagP99Ms: read('nodejs_eventloop_lag_p99_seconds') * 1000,
    eventLoopLagMaxMs: read('nodejs_eventloop_lag_max_seconds') * 1000,
    previewCacheHits: read('chunkflow_preview_cache_lookups_total', { result: 'hit' }),
    previewCacheMisses: read('chunkflow_preview_cache_lookups_total', { result: 'miss' }),
    previewCacheJoins: read('chunkflow_preview_cache_joins_total'),
  };
}

/** Event-loop lag is each process's own: several servers lag as much as the worst of them. */
const WORST_OF: ReadonlySet<keyof ServerFigures> = new Set(['eventLoopLagP99Ms', 'eventLoopLagMaxMs']);

/** Several servers as one: memory, CPU and counters add up. */
function combined([first, ...others]: ServerFigures[]): ServerFigures {
  const total = { ...(first as ServerFigures) };
  for (const figures of others) {
    for (const key of Object.keys(total) as (keyof ServerFigures)[]) {
      total[key] = WORST_OF.has(key) ? Math.max(total[key], figures[key]) : total[key] + figures[key];
    }
  }
  return total;
}

/** Reads the servers' own `/metrics` once a second while a scenario runs. */
export class MetricsSampler {
  readonly samples: ServerSample[] = [];
  readonly #metricsUrls: string[];
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;

  constructor(serverUrls: readonly string[]) {
    this.#metricsUrls = serverUrls.map((url) => `${url}/metrics`);
  }

  async sample(): Promise<ServerSample> {
    const texts = await Promise.all(this.#metricsUrls.map(async (url) => (await fetch(url)).text()));
    const sample: ServerSample = {
      second: (performance.now() - this.#startedAt) / 1000,
      ...combined(texts.map(serverFigures)),
    };
    this.samples.push(sample);
    return sample;
  }

  async start(): Promise<void> {
    this.#startedAt = performance.now();
    await this.sample();
    this.#timer = setInterval(() => {
      this.sample().catch(() => {
        // A scrape lost under load is a gap in the chart, not a failed run.
      });
    }, 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.sample();
  }
}
