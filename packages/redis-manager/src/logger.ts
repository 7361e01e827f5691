/** The structured logger this package writes connection events to; a pino logger satisfies it. */
export interface RedisLogger {
  info(context: object, message?: string): void;
  warn(context: object, message?: string): void;
  error(context: object, message?: string): void;
}
