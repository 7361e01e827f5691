import { createLogger, settingsFrom } from '@chunkflow/core-services';
import { startApp } from './app.ts';
import { closeOnSignals } from './http/shutdown-signals.ts';

const settings = settingsFrom(process.env);
const logger = createLogger(settings.observability.logLevel);
const app = await startApp(settings, logger);
if (app.createdApiKey) {
  // Printed once, on purpose outside the JSON log stream, so a person sees it.
  process.stdout.write(`\nAPI key for tenant "default" (shown once, store it): ${app.createdApiKey}\n\n`);
}
closeOnSignals(app, { timeoutMs: settings.http.shutdownTimeoutMs, logger });
