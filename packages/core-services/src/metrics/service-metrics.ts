import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RateLimitClass } from '../limits/rate-limit-policy.ts';
import type { RateLimitObserver } from '../limits/request-limiter.ts';
import type { GaugeCollector, GaugeSample } from './gauges.ts';
import { MemoryPoolMetrics } from './memory-pool-metrics.ts';

const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUERY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/**
 * The process's Prometheus registry (docs/operating.md, "Metrics"): Node runtime metrics (event-loop lag, heap,
 * GC) plus Chunkflow's own. Components that own a number (queue depth, a memory pool) register a
 * gauge read at scrape time instead of pushing updates.
 */
const finishedStatuses = ['completed', 'failed', 'cancelled'] as const;
export type FinishedStatus = (typeof finishedStatuses)[number];

/** Told whenever an operation reaches a final status. */
export interface OperationOutcomeObserver {
  operationFinished(status: FinishedStatus): void;
}

export class ServiceMetrics implements RateLimitObserver, OperationOutcomeObserver {
  readonly registry = new Registry();
  /** MemoryPools register here to be exported as `chunkflow_mempool_*{pool}`. */
  readonly memoryPools = new MemoryPoolMetrics((...gauge) => this.registerGauge(...gauge));
  readonly #procedureDuration: Histogram<'procedure' | 'type' | 'status'>;
  readonly #queryDuration: Histogram<'operation'>;
  readonly #rateLimited: Counter<'class'>;
  readonly #rateLimiterFailures: Counter<'class'>;
  readonly #operationsFinished: Counter<'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.#procedureDuration = new Histogram({
      name: 'chunkflow_procedure_duration_seconds',
      help: 'Time spent in each tRPC/REST procedure, by procedure path, type and HTTP status',
      labelNames: ['procedure', 'type', 'status'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [this.registry],
    });
    this.#queryDuration = new Histogram({
      name: 'chunkflow_db_query_duration_seconds',
      help: 'Database statement durations, by statement kind',
      labelNames: ['operation'],
      buckets: QUERY_BUCKETS_SECONDS,
      registers: [this.registry],
    });
    this.#rateLimited = new Counter({
      name: 'chunkflow_rate_limited_total',
      help: 'Requests refused with RATE_LIMITED, by procedure class',
      labelNames: ['class'],
      registers: [this.registry],
    });
    this.#rateLimiterFailures = new Counter({
      name: 'chunkflow_rate_limiter_failures_total',
      help: 'Requests admitted unchecked because the rate limiter was unavailable',
      labelNames: ['class'],
      registers: [this.registry],
    });
    this.#operationsFinished = new Counter({
      name: 'chunkflow_operations_finished_total',
      help: 'Operations this process moved to a final status, by status',
      labelNames: ['status'],
      registers: [this.registry],
    });
    // Every status is exported from the start, so rates over it exist before the first failure.
    for (const status of finishedStatuses) this.#operationsFinished.inc({ status }, 0);
  }

  operationFinished(status: FinishedStatus): void {
    this.#operationsFinished.inc({ status });
  }

  observeProcedure(procedure: string, type: string, status: number, seconds: number): void {
    this.#procedureDuration.observe({ procedure, type, status: String(status) }, seconds);
  }

  observeQuery(operation: string, seconds: number): void {
    this.#queryDuration.observe({ operation }, seconds);
  }

  rejected(kind: RateLimitClass): void {
    this.#rateLimited.inc({ class: kind });
  }

  limiterFailed(kind: RateLimitClass): void {
    this.#rateLimiterFailures.inc({ class: kind });
  }

  /**
   * Adds a gauge whose value is read from `collect` at every scrape (e.g. queue depth). Label
   * names must cover the labels the collector returns.
   */
  registerGauge(name: string, help: string, collect: GaugeCollector, labelNames: string[] = []): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        const result = await collect();
        this.reset();
        if (typeof result === 'number') this.set(result);
        else for (const sample of result) this.set(sample.labels ?? {}, sample.value);
      },
    });
  }

  /** Adds a counter whose running total is read from `collect` at every scrape. */
  registerCounter(name: string, help: string, collect: () => GaugeSample[], labelNames: string[] = []): void {
    new Counter({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const sample of collect()) this.inc(sample.labels ?? {}, sample.value);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
