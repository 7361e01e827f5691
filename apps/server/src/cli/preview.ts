import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type Chunk, chunkAsync } from '@chunkflow/chunkers';
import { convertDocument } from '@chunkflow/converters';
import { UsageError } from './exit-codes.ts';
import { formatTable } from './key-table.ts';

export const PREVIEW_USAGE = `usage:
  chunkflow preview FILE [--strategy NAME] [--chunk-size N] [--overlap N] [--unit chars|tokens]
                         [--config JSON] [--json]

Chunks FILE on this machine (no server needed), as the API's preview would: PDF, DOCX and HTML
are converted to markdown first. Prints a table of the chunks (index, offsets, sizes, the start of
each), or with --json every chunk in full. Defaults: --strategy recursive, the strategy's own sizes.`;

/** Longest excerpt of a chunk a table row shows, so each chunk stays on one line. */
const EXCERPT_CHARS = 60;

function excerpt(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed))
    throw new UsageError(`preview: --${name} takes a whole number, got "${value}"`);
  return parsed;
}

/** The file as the server would chunk it: text as it is, other formats through its converters. */
async function textOf(path: string): Promise<string> {
  const bytes = new Uint8Array(await readFile(path));
  return (await convertDocument({ bytes, name: basename(path) })).text;
}

function chunkTable(chunks: readonly Chunk[]): string {
  return formatTable(
    ['#', 'start', 'end', 'chars', 'tokens', 'content'],
    chunks.map((chunk) => [
      String(chunk.index),
      String(chunk.startOffset),
      String(chunk.endOffset),
      String(chunk.charCount),
      String(chunk.tokenCount),
      excerpt(chunk.content),
    ]),
  );
}

/** `chunkflow preview FILE`: how a strategy cuts a file. Returns the exit status. */
export async function previewCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      strategy: { type: 'string', default: 'recursive' },
      'chunk-size': { type: 'string' },
      overlap: { type: 'string' },
      unit: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('preview: one FILE');
  let extraConfig: Record<string, unknown>;
  try {
    extraConfig = values.config ? (JSON.parse(values.config) as Record<string, unknown>) : {};
  } catch {
    throw new UsageError('preview: --config takes a JSON object');
  }
  const config = {
    ...extraConfig,
    strategy: values.strategy,
    ...(values['chunk-size'] === undefined ? {} : { chunkSize: integer('chunk-size', values['chunk-size']) }),
    ...(values.overlap === undefined ? {} : { chunkOverlap: integer('overlap', values.overlap) }),
    ...(values.unit === undefined ? {} : { sizeUnit: values.unit }),
  };
  const text = await textOf(file);
  const chunks = await chunkAsync(text, config);
  console.log(values.json ? JSON.stringify(chunks, null, 2) : chunkTable(chunks));
  if (!values.json)
    console.error(`${chunks.length} chunks of ${text.length} characters (${config.strategy})`);
  return 0;
}
