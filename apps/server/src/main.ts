import { createLogger } from '@chunkflow/core-services';
import { startApp } from './app.ts';
import { loadConfig } from './config.ts';
import { closeOnSignals } from './http/shutdown-signals.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const app = await startApp(config, logger);
if (app.createdApiKey) {
  // Printed once, on purpose outside the JSON log stream, so a person sees it.
  process.stdout.write(`\nAPI key for tenant "default" (shown once, store it): ${app.createdApiKey}\n\n`);
}
closeOnSignals(app, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
