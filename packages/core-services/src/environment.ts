import { z } from 'zod';

/** An unset or empty variable both mean "not configured". */
const optionalSetting = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A comma-separated list; unset or empty means none. */
export const commaSeparatedList = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

/** Settings every Chunkflow process reads (server and worker); see docs/configuration.md. */
export const backendEnvironmentSchema = z.object({
  DATABASE_URL: optionalSetting,
  /** Comma-separated PostgreSQL read replicas serving statistics and listings (none by default). */
  DATABASE_REPLICA_URLS: commaSeparatedList,
  REDIS_URL: optionalSetting,
  CHUNKFLOW_DATA_DIR: z.string().default('./.chunkflow'),
  CHUNKFLOW_KEY_PREFIX: z.string().default('chunkflow'),
  /** Comma-separated base URLs of OpenAI-compatible embedders configs may use (none by default). */
  EMBEDDER_ALLOWED_URLS: commaSeparatedList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** When set, `/metrics` (server and worker) answers only `Authorization: Bearer <token>`. */
  METRICS_TOKEN: optionalSetting,
  /** How long one attempt of an operation may run before its work is abandoned and it fails. */
  JOB_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60 * 60 * 1000),
  /**
   * How long a quiet progress stream waits for an announcement before it re-reads the operation's
   * log and state itself (a lost announcement, a worker that died).
   */
  // At most a day: timers longer than 2^31 ms fire at once.
  PROGRESS_IDLE_CHECK_MS: z.coerce.number().int().positive().max(86_400_000).default(5_000),
});

export const optionalSecretSetting = optionalSetting;

export type BackendEnvironment = z.infer<typeof backendEnvironmentSchema>;
