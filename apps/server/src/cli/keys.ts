import { parseArgs } from 'node:util';
import { createLogger, settingsFrom, withApiKeys } from '@chunkflow/core-services';
import pino from 'pino';
import { EXIT, UsageError } from './exit-codes.ts';
import { formatKeyTable } from './key-table.ts';
import { REMOTE_OPTIONS, REMOTE_USAGE, remoteOf } from './remote.ts';

export const KEYS_USAGE = `usage:
  chunkflow keys create --tenant NAME [--label LABEL]   create a key; it is printed once, store it
  chunkflow keys list   --tenant NAME                   ids, labels, created, last used, revoked (never the key)
  chunkflow keys revoke --tenant NAME --id KEY_ID       revoke a key at once

With --url (or CHUNKFLOW_URL) the keys are managed through a running server's API, with its
operator key (ADMIN_API_KEY) as --api-key or CHUNKFLOW_API_KEY: this works while the server holds
the embedded database. Otherwise the command opens the database itself, with the server's
environment: DATABASE_URL, or the embedded database under CHUNKFLOW_DATA_DIR (stop a server using
the embedded database first: only one process can open it).
${REMOTE_USAGE}`;

type KeysRequest =
  | { command: 'create'; tenant: string; label: string | undefined }
  | { command: 'list'; tenant: string }
  | { command: 'revoke'; tenant: string; id: string };

/** Through a running server's `keys.*` procedures; refusals come back with their code. */
async function overApi(request: KeysRequest, remote: { url: string; apiKey: string }): Promise<number> {
  const { createChunkflowClient } = await import('@chunkflow/client');
  const { keys } = createChunkflowClient(remote);
  if (request.command === 'create') {
    const created = await keys.create.mutate({
      tenant: request.tenant,
      ...(request.label ? { label: request.label } : {}),
    });
    console.error(`API key created for tenant "${request.tenant}". It is shown once; store it now:`);
    console.log(created.apiKey);
  } else if (request.command === 'list') {
    console.log(formatKeyTable((await keys.list.query({ tenant: request.tenant })).keys));
  } else {
    await keys.revoke.mutate({ tenant: request.tenant, id: request.id });
    console.log(`Revoked key ${request.id} of tenant "${request.tenant}".`);
  }
  return EXIT.ok;
}

/** `chunkflow keys …`: API keys of a tenant, straight in the database. Returns the exit status. */
export async function keysCommand(args: string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...REMOTE_OPTIONS,
      tenant: { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const [command] = positionals;
  const tenant = values.tenant;
  if (!['create', 'list', 'revoke'].includes(command ?? ''))
    throw new UsageError('keys: create, list or revoke');
  if (!tenant) throw new UsageError('keys: --tenant NAME is required');
  if (command === 'revoke' && !values.id) throw new UsageError('keys revoke: --id KEY_ID is required');
  if (values.url ?? environment.CHUNKFLOW_URL) {
    const request: KeysRequest =
      command === 'create'
        ? { command, tenant, label: values.label }
        : command === 'list'
          ? { command, tenant }
          : { command: 'revoke', tenant, id: values.id ?? '' };
    return overApi(request, remoteOf(values, environment));
  }

  const settings = settingsFrom(environment);
  const { logLevel, logFormat } = settings.observability;
  // Logs go to stderr: stdout carries only the command's answer (a new key can be piped).
  const logger = createLogger(logLevel === 'info' ? 'warn' : logLevel, {
    destination: pino.destination(2),
    format: logFormat,
  });
  return withApiKeys(settings, logger, async (auth) => {
    if (command === 'create') {
      const key = await auth.createApiKey(tenant, values.label ?? 'created by keys CLI');
      console.error(`API key created for tenant "${tenant}". It is shown once; store it now:`);
      console.log(key);
      return EXIT.ok;
    }
    if (command === 'list') {
      const keys = await auth.listApiKeys(tenant);
      if (keys === undefined) {
        console.error(`chunkflow: NOT_FOUND: no tenant "${tenant}"`);
        return EXIT.failed;
      }
      console.log(formatKeyTable(keys));
      return EXIT.ok;
    }
    if (await auth.revokeApiKey(tenant, values.id ?? '')) {
      console.log(`Revoked key ${values.id} of tenant "${tenant}".`);
      return EXIT.ok;
    }
    console.error(`chunkflow: NOT_FOUND: tenant "${tenant}" has no active key ${values.id}`);
    return EXIT.failed;
  });
}
