import { currentCorrelationId } from '@chunkflow/errors';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'connectionParams',
  '*.authorization',
  '*.apiKey',
  '*.connectionParams',
  '*.headers.authorization',
];

/**
 * The logger of every Chunkflow process: JSON lines; errors with their `cause` chain as nested
 * objects (pino's default `err` serializer folds causes into one string, losing their fields);
 * and every line written inside a request or job carries its correlation id.
 */
export function createLogger(
  level: Level | 'silent',
  options: { base?: Record<string, unknown>; destination?: DestinationStream } = {},
): Logger {
  const settings = {
    level,
    serializers: { err: pino.stdSerializers.errWithCause },
    // Secrets never reach a log line, whatever object a caller logs.
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    ...(options.base ? { base: options.base } : {}),
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
