import { parseArgs } from 'node:util';
import { runImport } from './import/run.ts';

const USAGE = `usage:
  import <collection> <folder|glob> [--apply STRATEGY [--config JSON]] [options]

Imports every file of a folder (or those a glob matches) into a collection (an id, or a name:
created when absent), converted by the server as uploads are (PDF, DOCX, HTML, Markdown, text,
code). Files the collection already holds (same SHA-256) are skipped, so rerunning resumes an
interrupted import. With --apply, then applies the strategy and follows the operation.

options:
  --url URL            server (default: $CHUNKFLOW_URL, else http://localhost:3000)
  --api-key KEY        API key (default: $CHUNKFLOW_API_KEY)
  --config JSON        chunking config for --apply, e.g. '{"chunkSize":512,"chunkOverlap":64}'
  --batch-files N      files per request (default 200)
  --batch-mb N         MB of files per request (default 8)
  --concurrency N      requests in flight (default 2)
  --no-progress        no progress bar (the report still prints)`;

const EXIT_USAGE = 64;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(EXIT_USAGE);
}

// `pnpm run import -- …` hands the separator on: it is not an argument.
const argv = process.argv.slice(2);
const { positionals, values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    'api-key': { type: 'string' },
    apply: { type: 'string' },
    config: { type: 'string' },
    'batch-files': { type: 'string' },
    'batch-mb': { type: 'string' },
    concurrency: { type: 'string' },
    'no-progress': { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
const [collection, source] = positionals;
if (values.help || !collection || !source || positionals.length > 2) usage();
const apiKey = values['api-key'] ?? process.env.CHUNKFLOW_API_KEY;
if (!apiKey) usage('An API key is needed: --api-key or CHUNKFLOW_API_KEY.');

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) usage(`--${name} must be a positive number`);
  return value;
}

function config(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {}
  return usage('--config must be a JSON object');
}

try {
  const report = await runImport({
    url: values.url ?? process.env.CHUNKFLOW_URL ?? 'http://localhost:3000',
    apiKey,
    collection,
    source,
    // `pnpm --filter … run` runs in the package's folder; paths are the caller's.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    batch: {
      files: Math.floor(positive('batch-files', values['batch-files'], 200)),
      bytes: positive('batch-mb', values['batch-mb'], 8) * 1024 * 1024,
    },
    concurrency: Math.floor(positive('concurrency', values.concurrency, 2)),
    progress: !values['no-progress'],
    ...(values.apply ? { apply: { strategy: values.apply, config: config(values.config) } } : {}),
    say: (line) => console.log(line),
  });
  const rate = (report.created + report.duplicates + report.refused.length) / Math.max(report.seconds, 0.001);
  console.log(
    `imported: ${report.created} created, ${report.duplicates} duplicates, ${report.skipped} held already, ${report.refused.length} refused (${report.seconds.toFixed(1)} s, ${rate.toFixed(0)} files/s)`,
  );
  for (const refused of report.refused.slice(0, 20)) {
    console.log(`  refused ${refused.name}: ${refused.code} ${refused.message}`);
  }
  if (report.refused.length > 20) console.log(`  … and ${report.refused.length - 20} more`);
  const operation = report.operation;
  if (operation) {
    console.log(
      `operation ${operation.id} ${operation.status}: ${operation.documentsDone}/${operation.documentsTotal} documents, ${operation.chunksCreated} chunks${operation.processingMs === null ? '' : ` in ${(operation.processingMs / 1000).toFixed(1)} s`}`,
    );
  }
  process.exit(report.refused.length > 0 || (operation && operation.status !== 'completed') ? 1 : 0);
} catch (error) {
  const code =
    (error as { code?: unknown; data?: { code?: unknown } }).data?.code ?? (error as { code?: unknown }).code;
  console.error(`import failed: ${typeof code === 'string' ? `${code} ` : ''}${(error as Error).message}`);
  process.exit(1);
}
