import { parseArgs } from 'node:util';
import {
  AuthService,
  backendEnvironmentSchema,
  backendOptionsFrom,
  createLogger,
  openBackends,
} from '@chunkflow/core-services';
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

const environment = backendEnvironmentSchema.parse(process.env);
// Logs go to stderr: stdout carries only the command's answer (a new key can be piped).
const logger = createLogger(environment.LOG_LEVEL === 'info' ? 'warn' : environment.LOG_LEVEL, {
  destination: pino.destination(2),
});
// Keys live in the database only: the CLI never needs Redis.
const backends = await openBackends({ ...backendOptionsFrom(environment, logger), redisUrl: undefined });
let exitCode = 0;
try {
  await backends.database.migrate();
  const auth = new AuthService(backends.database, logger);
  if (command === 'create') {
    const key = await auth.createApiKey(tenant, values.label ?? 'created by keys CLI');
    console.error(`API key created for tenant "${tenant}". It is shown once; store it now:`);
    console.log(key);
  } else if (command === 'list') {
    const keys = await auth.listApiKeys(tenant);
    if (keys === undefined) {
      console.error(`No tenant "${tenant}".`);
      exitCode = 1;
    } else {
      console.log(formatKeyTable(keys));
    }
  } else if (await auth.revokeApiKey(tenant, values.id ?? '')) {
    console.log(`Revoked key ${values.id} of tenant "${tenant}".`);
  } else {
    console.error(`Tenant "${tenant}" has no active key ${values.id}.`);
    exitCode = 1;
  }
} finally {
  await backends.close();
}
process.exit(exitCode);
