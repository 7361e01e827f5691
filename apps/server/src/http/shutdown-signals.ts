import type { Logger } from 'pino';

export interface Closable {
  close(): Promise<void>;
}

/**
 * On the first SIGTERM or SIGINT: close gracefully (stop accepting, finish in-flight requests,
 * end event streams, close queue, Redis and database) and exit 0; exit 1 when that fails or
 * takes longer than `timeoutMs`. Further signals during the close are ignored.
 */
export function closeOnSignals(app: Closable, options: { timeoutMs: number; logger: Logger }): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    options.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    app.close().then(
      () => {
        options.logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
