/** The logging this package needs; pino's `(details, message)` signature fits it. */
export interface DbLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}
