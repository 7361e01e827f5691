import { UsageError } from './exit-codes.ts';

/** The options of every command that talks to a running server, and their environment fallbacks. */
export const REMOTE_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
} as const;

export const REMOTE_USAGE = `  --url URL          the server (default: CHUNKFLOW_URL, else http://127.0.0.1:3000)
  --api-key KEY      the key to call it with (default: CHUNKFLOW_API_KEY)`;

export interface Remote {
  url: string;
  apiKey: string;
}

/** Flags first, then CHUNKFLOW_URL / CHUNKFLOW_API_KEY (a key on the command line shows in `ps`). */
export function remoteOf(
  values: { url?: string | undefined; 'api-key'?: string | undefined },
  environment: NodeJS.ProcessEnv,
): Remote {
  const apiKey = values['api-key'] ?? environment.CHUNKFLOW_API_KEY;
  if (!apiKey) throw new UsageError('an API key is needed: --api-key KEY or CHUNKFLOW_API_KEY');
  return { url: values.url ?? environment.CHUNKFLOW_URL ?? 'http://127.0.0.1:3000', apiKey };
}
