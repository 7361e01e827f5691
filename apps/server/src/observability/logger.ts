import pino, { type DestinationStream, type Level, type Logger } from 'pino';

/**
 * The process logger: JSON lines, errors with their `cause` chain as nested objects (pino's
 * default `err` serializer folds causes into one message string, which loses their fields).
 */
export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  const options = { level, serializers: { err: pino.stdSerializers.errWithCause } };
  return destination ? pino(options, destination) : pino(options);
}
