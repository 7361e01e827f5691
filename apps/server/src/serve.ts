import { createLogger, settingsFrom } from '@chunkflow/core-services';
import { startApp } from './app.ts';
import { closeOnSignals } from './http/shutdown-signals.ts';

/**
 * What a person needs after the first start, printed once outside the log stream so it is seen
 * whatever the log format: where the playground and the API docs are, and the new key.
 */
export function firstStartBanner(url: string, apiKey: string): string {
  return [
    '',
    `Chunkflow is serving on ${url}`,
    `  playground: ${url}/`,
    `  API docs:   ${url}/api/v2/docs`,
    `API key for tenant "default" (shown once, store it): ${apiKey}`,
    '',
    '',
  ].join('\n');
}

/**
 * The server process: HTTP in front of the server graph until SIGTERM or SIGINT, then a graceful
 * close. `node dist/main.js` (npm start) and `chunkflow serve` both run it.
 */
export async function serve(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = settingsFrom(environment);
  const logger = createLogger(settings.observability.logLevel, { format: settings.observability.logFormat });
  const app = await startApp(settings, logger);
  if (app.createdApiKey) process.stdout.write(firstStartBanner(app.url, app.createdApiKey));
  closeOnSignals(app, { timeoutMs: settings.http.shutdownTimeoutMs, logger });
}
