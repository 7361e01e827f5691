import { availableParallelism } from 'node:os';
import {
  backendEnvironmentSchema,
  commaSeparatedList,
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
  /** Time to receive a request's headers; a client slower than that is answered 408 and cut off. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  /** Time to receive a whole request, body included (Node checks it every few seconds). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(300_000),
  /** A connection with no traffic this long is closed (open event streams excepted). */
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** How long an idle keep-alive connection waits for its next request. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(65_000),
  /** An upload whose sender sends nothing for this long is refused (TIMEOUT) and its connection closed. */
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Slowest average an upload may arrive at, counted after its first UPLOAD_IDLE_TIMEOUT_MS. */
  UPLOAD_MIN_BYTES_PER_SECOND: z.coerce.number().int().nonnegative().default(16_384),
  /**
   * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For names the client; none by
   * default, so per-address limits count the peer. Behind a proxy, set it: else all clients share
   * the proxy's address, and one key guesser gets them all refused.
   */
  TRUST_PROXY: commaSeparatedList,
  /** How long SIGTERM/SIGINT waits for in-flight requests and connections to close before exit 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ...limitsEnvironmentSchema.shape,
});

export type ServerConfig = z.infer<typeof serverEnvironmentSchema>;

const MIN_BOOTSTRAP_KEY_CHARS = 32;

/** Rules between settings, checked once they are all read. */
const checkedSchema = serverEnvironmentSchema.superRefine((config, context) => {
  if (config.BOOTSTRAP_API_KEY !== undefined && config.BOOTSTRAP_API_KEY.length < MIN_BOOTSTRAP_KEY_CHARS) {
    context.addIssue({
      code: 'custom',
      path: ['BOOTSTRAP_API_KEY'],
      message: `BOOTSTRAP_API_KEY must be at least ${MIN_BOOTSTRAP_KEY_CHARS} characters (a guessable key is refused); generate one with \`openssl rand -base64 32\` or leave it unset to have one created`,
    });
  }
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    context.addIssue({
      code: 'custom',
      path: ['HTTP_HEADERS_TIMEOUT_MS'],
      message: 'HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS',
    });
  }
});

/** Reads the documented environment variables (docs/configuration.md); bad values stop start-up. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  return checkedSchema.parse(environment);
}
