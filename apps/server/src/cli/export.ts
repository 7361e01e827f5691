import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportChunks } from '@chunkflow/client';
import { UsageError } from './exit-codes.ts';
import { REMOTE_OPTIONS, REMOTE_USAGE, remoteOf } from './remote.ts';

export const EXPORT_USAGE = `usage:
  chunkflow export --collection ID [--document ID] [--output FILE] [--url URL] [--api-key KEY]

Writes every stored chunk of the collection as NDJSON (one JSON object per line, document then
chunk order) to FILE, or to standard output.
${REMOTE_USAGE}`;

/** `chunkflow export`: a collection's chunks from a running server. Returns the exit status. */
export async function exportCommand(args: string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...REMOTE_OPTIONS,
      collection: { type: 'string' },
      document: { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  if (!values.collection) throw new UsageError('export: --collection ID is required');
  const remote = remoteOf(values, environment);
  const out = values.output ? createWriteStream(values.output) : process.stdout;
  let lines = 0;
  for await (const line of exportChunks({
    ...remote,
    collectionId: values.collection,
    ...(values.document ? { documentId: values.document } : {}),
  })) {
    // Backpressure: a slow disk or pipe slows the download instead of filling memory.
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    lines += 1;
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  console.error(`${lines} chunks exported`);
  return 0;
}
