/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export interface ProcedureSummary {
  requests: number;
  errors: number;
  errorRate: number;
  requestsPerSecond: number;
  /**
   * `p99AfterWarmup`: of the responses after the run's first tenth, which starts with empty caches
   * and unoptimised code (the same warm-up the memory figures leave out).
   */
  latencyMs: { p50: number; p95: number; p99: number; max: number; p99AfterWarmup: number };
  /** Status codes other than 2xx, and transport errors under `error`. */
  failures: Record<string, number>;
}

export interface LatencyPoint {
  second: number;
  p50: number;
  p99: number;
  requests: number;
}

/** Every response of one procedure: its latency, the second it ended in, and whether it failed. */
class ProcedureRecord {
  readonly latencies: number[] = [];
  readonly bySecond = new Map<number, number[]>();
  readonly failures: Record<string, number> = {};
  transportErrors = 0;

  add(second: number, latencyMs: number): void {
    this.latencies.push(latencyMs);
    let bucket = this.bySecond.get(second);
    if (bucket === undefined) {
      bucket = [];
      this.bySecond.set(second, bucket);
    }
    bucket.push(latencyMs);
  }

  fail(kind: string): void {
    this.failures[kind] = (this.failures[kind] ?? 0) + 1;
  }
}

function recordOf(records: Map<string, ProcedureRecord>, name: string): ProcedureRecord {
  let record = records.get(name);
  if (record === undefined) {
    record = new ProcedureRecord();
    records.set(name, record);
  }
  return record;
}

function summariesOf(
  records: Map<string, ProcedureRecord>,
  durationSeconds: number,
): Record<string, ProcedureSummary> {
  const result: Record<string, ProcedureSummary> = {};
  for (const [procedure, record] of records) {
    const sorted = [...record.latencies].sort((a, b) => a - b);
    const errors = Object.values(record.failures).reduce((sum, count) => sum + count, 0);
    const requests = sorted.length + record.transportErrors;
    const warmupSeconds = durationSeconds / 10;
    const afterWarmup = [...record.bySecond]
      .filter(([second]) => second >= warmupSeconds)
      .flatMap(([, values]) => values)
      .sort((a, b) => a - b);
    result[procedure] = {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      requestsPerSecond: sorted.length / durationSeconds,
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
        p99AfterWarmup: percentile(afterWarmup, 99),
      },
      failures: { ...record.failures },
    };
  }
  return result;
}

/**
 * Latencies and failures per procedure, overall and per second of the run; and, apart, per
 * procedure and outcome (what the server did for the answer: a computed or a cached preview).
 */
export class LatencyRecorder {
  readonly #records = new Map<string, ProcedureRecord>();
  readonly #outcomes = new Map<string, ProcedureRecord>();
  readonly #startedAt = performance.now();

  #record(procedure: string): ProcedureRecord {
    return recordOf(this.#records, procedure);
  }

  /** A response: failed unless its status is 2xx. */
  response(procedure: string, status: number, latencyMs: number, outcome?: string): void {
    const second = Math.floor((performance.now() - this.#startedAt) / 1000);
    const records = [this.#record(procedure)];
    if (outcome !== undefined) records.push(recordOf(this.#outcomes, `${procedure}, ${outcome}`));
    for (const record of records) {
      record.add(second, latencyMs);
      if (status < 200 || status > 299) record.fail(String(status));
    }
  }

  /** A request that got no response (reset, timeout): counted as a failed request. */
  transportError(procedure: string, kind: string): void {
    const record = this.#record(procedure);
    record.transportErrors += 1;
    record.fail(kind);
  }

  summary(durationSeconds: number): Record<string, ProcedureSummary> {
    return summariesOf(this.#records, durationSeconds);
  }

  /** As `summary`, per procedure and outcome (`chunking.preview, computed`): a breakdown, not more requests. */
  outcomeSummary(durationSeconds: number): Record<string, ProcedureSummary> {
    return summariesOf(this.#outcomes, durationSeconds);
  }

  timeline(procedure: string): LatencyPoint[] {
    const record = this.#records.get(procedure);
    if (record === undefined) return [];
    return [...record.bySecond.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return { second, p50: percentile(sorted, 50), p99: percentile(sorted, 99), requests: sorted.length };
      });
  }
}
