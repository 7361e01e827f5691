import { currentCorrelationId } from '@chunkflow/errors';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';

const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'connectionParams',
  '*.authorization',
  '*.apiKey',
  '*.connectionParams',
  '*.headers.authorization',
];

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * `auto` reads the room: a person at a terminal gets readable lines, anything else (a pipe, a file,
 * a log collector, production) the JSON lines machines parse.
 */
export function resolveLogFormat(
  format: LogFormat,
  terminal = process.stdout.isTTY === true,
  nodeEnv = process.env.NODE_ENV,
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return terminal && nodeEnv !== 'production' ? 'pretty' : 'json';
}

/**
 * The logger of every Chunkflow process: JSON lines (or pino-pretty's lines, see `resolveLogFormat`); errors with their `cause` chain as nested
 * objects (pino's default `err` serializer folds causes into one string, losing their fields);
 * and every line written inside a request or job carries its correlation id.
 */
export function createLogger(
  level: Level | 'silent',
  options: { base?: Record<string, unknown>; destination?: DestinationStream; format?: LogFormat } = {},
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
  // In process and synchronous, so the last lines before an exit are never lost.
  const destination =
    resolveLogFormat(options.format ?? 'json') === 'pretty'
      ? pretty({
          colorize: true,
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'hostname',
          ...(options.destination ? { destination: options.destination } : {}),
        })
      : options.destination;
  return destination ? pino(settings, destination) : pino(settings);
}
