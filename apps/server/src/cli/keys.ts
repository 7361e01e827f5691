import { parseArgs } from 'node:util';
import { createLogger, settingsFrom, withApiKeys } from '@chunkflow/core-services';
import pino from 'pino';
import { formatKeyTable } from './key-table.ts';

const USAGE = `usage:
  keys create --tenant NAME [--label LABEL]   create a key; it is printed once, store it
  keys list   --tenant NAME                   ids, labels, created, last used, revoked (never the key)
  keys revoke --tenant NAME --id KEY_ID       revoke a key at once

Uses the server's environment: DATABASE_URL, or the embedded database under CHUNKFLOW_DATA_DIR
(stop a server using the embedded database first: only one process can open it).`;

const EXIT_USAGE = 64;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { tenant: { type: 'string' }, label: { type: 'string' }, id: { type: 'string' } },
});
const [command] = positionals;
const tenant = values.tenant;
if (
  !tenant ||
  !['create', 'list', 'revoke'].includes(command ?? '') ||
  (command === 'revoke' && !values.id)
) {
  console.error(USAGE);
  process.exit(EXIT_USAGE);
}

const settings = settingsFrom(process.env);
const { logLevel } = settings.observability;
// Logs go to stderr: stdout carries only the command's answer (a new key can be piped).
const logger = createLogger(logLevel === 'info' ? 'warn' : logLevel, {
  destination: pino.destination(2),
});
const exitCode = await withApiKeys(settings, logger, async (auth) => {
  if (command === 'create') {
    const key = await auth.createApiKey(tenant, values.label ?? 'created by keys CLI');
    console.error(`API key created for tenant "${tenant}". It is shown once; store it now:`);
    console.log(key);
    return 0;
  }
  if (command === 'list') {
    const keys = await auth.listApiKeys(tenant);
    if (keys === undefined) {
      console.error(`No tenant "${tenant}".`);
      return 1;
    }
    console.log(formatKeyTable(keys));
    return 0;
  }
  if (await auth.revokeApiKey(tenant, values.id ?? '')) {
    console.log(`Revoked key ${values.id} of tenant "${tenant}".`);
    return 0;
  }
  console.error(`Tenant "${tenant}" has no active key ${values.id}.`);
  return 1;
});
process.exit(exitCode);
