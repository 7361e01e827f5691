import { type ApplicationError, DependencyUnavailableError, type ErrorRecognizer } from '@chunkflow/errors';

/** Why Redis could not serve a command; carried in `details.reason` for logs and metrics. */
export type RedisUnavailableReason =
  | 'offline'
  | 'connection-closed'
  | 'retries-exhausted'
  | 'timeout'
  | 'server-busy';

// ioredis signals unavailability with plain Errors, so their exact messages are what identifies them.
const REASON_BY_MESSAGE = new Map<string, RedisUnavailableReason>([
  ["Stream isn't writeable and enableOfflineQueue options is false", 'offline'],
  ["Cluster isn't ready and enableOfflineQueue options is false", 'offline'],
  ['Connection is closed.', 'connection-closed'],
  ['Command aborted due to connection close', 'connection-closed'],
  ['Cluster is disconnected.', 'connection-closed'],
  ['Cluster is ended.', 'connection-closed'],
  ['None of startup nodes is available', 'connection-closed'],
  ['Failed to refresh slots cache.', 'connection-closed'],
  ['Node is disconnected', 'connection-closed'],
  ['Command timed out', 'timeout'],
]);

/** Server replies that mean "not now" (loading, failover, cluster reconfiguring, busy script, no memory). */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|OOM)\b/;

function unavailableReason(error: unknown): RedisUnavailableReason | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'MaxRetriesPerRequestError') return 'retries-exhausted';
  if (error.message.startsWith('Socket timeout. Expecting data')) return 'timeout';
  if (error.name === 'ReplyError' && TRANSIENT_REPLY.test(error.message)) return 'server-busy';
  return REASON_BY_MESSAGE.get(error.message);
}

export function redisUnavailable(reason: RedisUnavailableReason, cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError('redis', { cause, details: { reason } });
}

/**
 * Recognises ioredis failures that mean Redis is unreachable or not serving right now and turns
 * them into DEPENDENCY_UNAVAILABLE (503, Retry-After) with the original as `cause`. Other Redis
 * errors (wrong type, syntax) are bugs, left for the translator's INTERNAL_ERROR fallback.
 * Use with `new ExceptionTranslator([recognizeRedisError])`.
 */
export const recognizeRedisError: ErrorRecognizer = (error): ApplicationError | undefined => {
  const reason = unavailableReason(error);
  return reason === undefined ? undefined : redisUnavailable(reason, error);
};

/** For catch blocks: the typed error when recognised, otherwise the original, to rethrow. */
export function translateRedisError(error: unknown): unknown {
  return recognizeRedisError(error) ?? error;
}
