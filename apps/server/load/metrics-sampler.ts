import { parsePrometheusText, sampleValue } from './prometheus-text.ts';

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

/** Reads the server's own `/metrics` once a second while a scenario runs. */
export class MetricsSampler {
  readonly samples: ServerSample[] = [];
  readonly #metricsUrl: string;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;

  constructor(serverUrl: string) {
    this.#metricsUrl = `${serverUrl}/metrics`;
  }

  async sample(): Promise<ServerSample> {
    const samples = parsePrometheusText(await (await fetch(this.#metricsUrl)).text());
    const read = (name: string, labels?: Record<string, string>) => sampleValue(samples, name, labels) ?? 0;
    const sample: ServerSample = {
      second: (performance.now() - this.#startedAt) / 1000,
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
