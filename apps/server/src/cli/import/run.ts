import { setTimeout as sleep } from 'node:timers/promises';
import { type ChunkflowClient, createChunkflowClient, IMPORT_LIMITS } from '@chunkflow/client';
import { type BatchBounds, batchesOf } from './batches.ts';
import { resolveCollection } from './collection.ts';
import { filesOf, hashOf, type LocalFile } from './files.ts';
import { type FollowedOperation, followOperation } from './follow.ts';
import { type ProgressBar, progressBar } from './progress.ts';
import { type Connection, sendBatch } from './upload.ts';

export interface ImportOptions extends Connection {
  /** A collection id, or a name (created when absent). */
  collection: string;
  /** A folder or a glob, relative to `cwd`. */
  source: string;
  cwd: string;
  batch: BatchBounds;
  /** Requests in flight (the server's MAX_UPLOADS_PER_KEY, 4 by default, bounds it). */
  concurrency: number;
  progress: boolean;
  apply?: { strategy: string; config?: Record<string, unknown> | undefined } | undefined;
  /** Report lines (stdout). */
  say: (line: string) => void;
}

export interface ImportReport {
  collectionId: string;
  files: number;
  /** Held by the collection before this run (same file hash): not sent. */
  skipped: number;
  created: number;
  duplicates: number;
  refused: { name: string; code: string; message: string }[];
  seconds: number;
  operation?: FollowedOperation;
}

type StrategyName = Parameters<ChunkflowClient['chunking']['applyToCollection']['mutate']>[0]['strategy'];

const HASHES_AT_ONCE = 8;

/** The files the collection does not hold yet, by file hash: what a rerun still has to send. */
async function filesToSend(
  client: ChunkflowClient,
  collectionId: string,
  files: readonly LocalFile[],
): Promise<LocalFile[]> {
  const hashes: string[] = new Array(files.length);
  let next = 0;
  const hashNext = async () => {
    for (let i = next++; i < files.length; i = next++) hashes[i] = await hashOf(files[i] as LocalFile);
  };
  await Promise.all(Array.from({ length: HASHES_AT_ONCE }, hashNext));
  const held = new Set<string>();
  for (let start = 0; start < hashes.length; start += IMPORT_LIMITS.maxLookupHashes) {
    const slice = [...new Set(hashes.slice(start, start + IMPORT_LIMITS.maxLookupHashes))];
    const { found } = await client.documents.findByHashes.mutate({ collectionId, hashes: slice });
    for (const { hash } of found) held.add(hash);
  }
  return files.filter((_, i) => !held.has(hashes[i] as string));
}

/**
 * Imports a folder or glob into a collection: files the collection already holds (by file hash)
 * are skipped, so an interrupted import resumes where it stopped; the rest go in batches to the
 * import route, which converts them as uploads. Items refused for the key's budget are sent again
 * once it allows. Then, optionally, applies a strategy and follows the operation to its end.
 */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const client = createChunkflowClient({ url: options.url, apiKey: options.apiKey });
  const collection = await resolveCollection(client, options.collection);
  options.say(`collection "${collection.name}" (${collection.id})${collection.created ? ', created' : ''}`);
  const files = await filesOf(options.source, options.cwd);
  const pending = await filesToSend(client, collection.id, files);
  options.say(
    `${files.length} files, ${files.length - pending.length} held already, ${pending.length} to send`,
  );
  const report: ImportReport = {
    collectionId: collection.id,
    files: files.length,
    skipped: files.length - pending.length,
    created: 0,
    duplicates: 0,
    refused: [],
    seconds: 0,
  };
  const bar = progressBar(options.progress);
  await sendAll(options, collection.id, pending, report, bar);
  report.seconds = (performance.now() - started) / 1000;
  if (options.apply) {
    const { operationId } = await client.chunking.applyToCollection.mutate({
      collectionId: collection.id,
      // The server checks the name (INVALID_CONFIG names the strategies it takes).
      strategy: options.apply.strategy as StrategyName,
      ...(options.apply.config ? { config: options.apply.config } : {}),
    });
    options.say(`applying ${options.apply.strategy}: operation ${operationId}`);
    report.operation = await followOperation(client, operationId, progressBar(options.progress));
  }
  return report;
}

async function sendAll(
  options: ImportOptions,
  collectionId: string,
  pending: LocalFile[],
  report: ImportReport,
  bar: ProgressBar,
): Promise<void> {
  let done = 0;
  bar.start(pending.length, 'importing');
  const onResult = (
    file: LocalFile,
    result: Awaited<ReturnType<typeof sendBatch>>['results'][number]['result'],
  ) => {
    done += 1;
    if (result.status === 'created') report.created += 1;
    else if (result.status === 'duplicate') report.duplicates += 1;
    else report.refused.push({ name: file.name, code: result.error.code, message: result.error.message });
    bar.update(done);
  };
  let queue = batchesOf(pending, options.batch);
  while (queue.length > 0) {
    const retry: LocalFile[] = [];
    let waitSeconds = 0;
    const sendNext = async () => {
      for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
        const sent = await sendBatch(options, collectionId, batch, onResult);
        retry.push(...sent.retry);
        waitSeconds = Math.max(waitSeconds, sent.retryAfterSeconds);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, sendNext));
    if (retry.length > 0) {
      bar.update(done, `| rate limited: ${retry.length} wait ${waitSeconds}s`);
      await sleep(waitSeconds * 1000);
      bar.update(done);
    }
    queue = batchesOf(retry, options.batch);
  }
  bar.stop();
}
