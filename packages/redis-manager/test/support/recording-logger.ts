import type { RedisLogger } from '../../src/index.ts';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  context: Record<string, unknown>;
  message: string | undefined;
}

/** Keeps what was logged so tests can check which connection events were reported. */
export class RecordingLogger implements RedisLogger {
  readonly entries: LogEntry[] = [];

  info(context: object, message?: string): void {
    this.entries.push({ level: 'info', context: { ...context }, message });
  }

  warn(context: object, message?: string): void {
    this.entries.push({ level: 'warn', context: { ...context }, message });
  }

  error(context: object, message?: string): void {
    this.entries.push({ level: 'error', context: { ...context }, message });
  }

  messages(role?: string): (string | undefined)[] {
    return this.entries
      .filter((entry) => role === undefined || entry.context.role === role)
      .map((e) => e.message);
  }
}
