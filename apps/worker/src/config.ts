import { backendEnvironmentSchema } from '@chunkflow/core-services';
import { z } from 'zod';

const positiveInteger = z.coerce.number().int().positive();

const workerEnvironmentSchema = backendEnvironmentSchema.extend({
  /** Operations this process runs at once. */
  WORKER_CONCURRENCY: positiveInteger.default(2),
  /** A job whose worker stops renewing its lock for this long is taken over by another worker. */
  WORKER_LOCK_DURATION_MS: positiveInteger.default(30_000),
  /** How often this worker looks for jobs whose worker died. */
  WORKER_STALLED_INTERVAL_MS: positiveInteger.default(30_000),
  /** Recoveries of one job after its worker died before the operation is failed (0: fail at once). */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().nonnegative().default(2),
  /** On SIGTERM, how long running operations may take to finish before the process exits anyway. */
  WORKER_SHUTDOWN_TIMEOUT_MS: positiveInteger.default(30_000),
  /** Port of this worker's Prometheus `/metrics` endpoint; unset: none (0: any free port). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});

export type WorkerConfig = z.infer<typeof workerEnvironmentSchema>;

export function loadWorkerConfig(environment: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return workerEnvironmentSchema.parse(environment);
}
