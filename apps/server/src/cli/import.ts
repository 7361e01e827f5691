import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes.ts';
import { type ImportReport, runImport } from './import/run.ts';
import { REMOTE_OPTIONS, REMOTE_USAGE, remoteOf } from './remote.ts';

export const IMPORT_USAGE = `usage:
  chunkflow import COLLECTION FOLDER|GLOB [--apply STRATEGY [--config JSON]] [options]

Imports every file of a folder (or those a glob matches) into a collection (an id, or a name:
created when absent), converted by the server as uploads are (PDF, DOCX, HTML, Markdown, text,
code). Files the collection already holds (same SHA-256) are skipped, so rerunning resumes an
interrupted import. With --apply, then applies the strategy and follows the operation.

options:
${REMOTE_USAGE}
  --config JSON      chunking config for --apply, e.g. '{"chunkSize":512,"chunkOverlap":64}'
  --batch-files N    files per request (default 200)
  --batch-mb N       MB of files per request (default 8)
  --concurrency N    requests in flight (default 2)
  --no-progress      no progress bar (the report still prints)`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`import: --${name} must be a positive number`);
  return value;
}

function configOf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('import: --config must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError('import: --config must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function printReport(report: ImportReport): void {
  const handled = report.created + report.duplicates + report.refused.length;
  const rate = handled / Math.max(report.seconds, 0.001);
  console.log(
    `imported: ${report.created} created, ${report.duplicates} duplicates, ${report.skipped} held already, ${report.refused.length} refused (${report.seconds.toFixed(1)} s, ${rate.toFixed(0)} files/s)`,
  );
  for (const refused of report.refused.slice(0, 20)) {
    console.log(`  refused ${refused.name}: ${refused.code} ${refused.message}`);
  }
  if (report.refused.length > 20) console.log(`  … and ${report.refused.length - 20} more`);
  const operation = report.operation;
  if (operation) {
    const took = operation.processingMs === null ? '' : ` in ${(operation.processingMs / 1000).toFixed(1)} s`;
    console.log(
      `operation ${operation.id} ${operation.status}: ${operation.documentsDone}/${operation.documentsTotal} documents, ${operation.chunksCreated} chunks${took}`,
    );
  }
}

/**
 * `chunkflow import`: a folder or glob into a collection of a running server. Exit status 0 when
 * every file was stored or held already, 1 when some were refused or the operation did not complete.
 */
export async function importCommand(args: string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const { positionals, values } = parseArgs({
    // `pnpm run import -- …` hands the separator on: it is not an argument.
    args: args[0] === '--' ? args.slice(1) : args,
    allowPositionals: true,
    options: {
      ...REMOTE_OPTIONS,
      apply: { type: 'string' },
      config: { type: 'string' },
      'batch-files': { type: 'string' },
      'batch-mb': { type: 'string' },
      concurrency: { type: 'string' },
      'no-progress': { type: 'boolean' },
    },
  });
  const [collection, source] = positionals;
  if (!collection || !source || positionals.length > 2) {
    throw new UsageError('import: COLLECTION and FOLDER|GLOB are required');
  }
  const config = configOf(values.config);
  const report = await runImport({
    ...remoteOf(values, environment),
    collection,
    source,
    // `pnpm --filter … run` runs in the package's folder; paths are the caller's.
    cwd: environment.INIT_CWD ?? process.cwd(),
    batch: {
      files: Math.floor(positive('batch-files', values['batch-files'], 200)),
      bytes: positive('batch-mb', values['batch-mb'], 8) * 1024 * 1024,
    },
    concurrency: Math.floor(positive('concurrency', values.concurrency, 2)),
    progress: !values['no-progress'],
    ...(values.apply ? { apply: { strategy: values.apply, config } } : {}),
    say: (line) => console.log(line),
  });
  printReport(report);
  const completed = report.operation === undefined || report.operation.status === 'completed';
  return report.refused.length > 0 || !completed ? 1 : 0;
}
