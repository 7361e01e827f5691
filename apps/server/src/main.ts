import { startApp } from './app.ts';
import { loadConfig } from './config.ts';

const app = await startApp(loadConfig());
if (app.createdApiKey) {
  // Printed once, on purpose outside the JSON log stream, so a person sees it.
  process.stdout.write(`\nAPI key for tenant "default" (shown once, store it): ${app.createdApiKey}\n\n`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
