import { availableParallelism } from 'node:os';
import {
  backendEnvironmentSchema,
  limitsEnvironmentSchema,
  optionalSecretSetting,
} from '@chunkflow/core-services';
import { z } from 'zod';

const serverEnvironmentSchema = backendEnvironmentSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  BOOTSTRAP_API_KEY: optionalSecretSetting,
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 1024 * 1024),
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(20),
  /** Operations run at once inside the server when there is no Redis (embedded mode). */
  EMBEDDED_JOB_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Worker threads chunking large previews/comparisons off the event loop. */
  CHUNKING_THREADS: z.coerce
    .number()
    .int()
    .positive()
    .default(Math.max(1, availableParallelism() - 1)),
  /**
   * Work (input chars times the output they amplify into) a cheap strategy sized in chars may do
   * inline; anything more, and every costly strategy, runs on a worker thread. Chunking and
   * metrics cost ~0.2 ms per 1,000 chars on the event loop, so 16,000 keeps each inline stall
   * near 3 ms.
   */
  CHUNKING_OFFLOAD_CHARS: z.coerce.number().int().nonnegative().default(16_000),
  /**
   * The time budget of every query and mutation: chunking still running when it is spent is
   * abandoned (its worker thread terminated) and the request answers 422 BUDGET_EXCEEDED.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Parsed previews kept in this process in front of the shared cache; 0 turns that off. */
  PREVIEW_LOCAL_CACHE_MB: z.coerce.number().nonnegative().default(32),
  /** Larger previews (their JSON, estimated) are answered but not put in the shared cache. */
  PREVIEW_CACHE_MAX_ENTRY_MB: z.coerce.number().nonnegative().default(8),
  /** Memory all uploads in this process may hold at once while they are read. */
  UPLOAD_MEMORY_MB: z.coerce.number().positive().default(256),
  /** How long an upload waits for that memory before it is refused with 503 and Retry-After. */
  UPLOAD_WAIT_MS: z.coerce.number().int().positive().default(30_000),
  /** How long SIGTERM/SIGINT waits for in-flight requests and connections to close before exit 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ...limitsEnvironmentSchema.shape,
});

export type ServerConfig = z.infer<typeof serverEnvironmentSchema>;

/** Reads the documented environment variables (README "Configuration"); bad values stop start-up. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  return serverEnvironmentSchema.parse(environment);
}
