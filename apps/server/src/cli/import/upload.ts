import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImportError, type ImportResult, importBatch } from '@chunkflow/client';
import type { LocalFile } from './files.ts';

export interface Connection {
  url: string;
  apiKey: string;
}

/** Seconds to wait when a refusal does not say. */
const DEFAULT_RETRY_SECONDS = 5;
/** Statuses of a whole request worth retrying: rate limited, the server out of upload memory or restarting. */
const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

export interface SentBatch {
  /** Each file's final result (RATE_LIMITED items come back as `retry` instead). */
  results: { file: LocalFile; result: ImportResult }[];
  /** Files refused only for the key's budget, to send again after `retryAfterSeconds`. */
  retry: LocalFile[];
  retryAfterSeconds: number;
}

/**
 * Sends one batch of files to the import route and answers each file's result. A request refused
 * whole for load (429, 503…) is sent again after the wait the server asked for; other refusals
 * (bad key, unknown collection) throw ImportError.
 */
export async function sendBatch(
  connection: Connection,
  collectionId: string,
  batch: readonly LocalFile[],
  onResult: (file: LocalFile, result: ImportResult) => void,
): Promise<SentBatch> {
  const files = await Promise.all(
    batch.map(async (file) => ({ name: file.name, bytes: await readFile(file.path) })),
  );
  for (;;) {
    const sent: SentBatch = { results: [], retry: [], retryAfterSeconds: 0 };
    try {
      for await (const result of importBatch({ ...connection, collectionId, files })) {
        const file = batch[result.index] as LocalFile;
        if (result.status === 'refused' && result.error.code === 'RATE_LIMITED') {
          sent.retry.push(file);
          sent.retryAfterSeconds = Math.max(sent.retryAfterSeconds, retryAfterOf(result.error.details));
          continue;
        }
        sent.results.push({ file, result });
        onResult(file, result);
      }
      return sent;
    } catch (error) {
      if (!(error instanceof ImportError) || !RETRIED_STATUSES.has(error.status) || sent.results.length > 0) {
        throw error;
      }
      await sleep((error.retryAfter ?? DEFAULT_RETRY_SECONDS) * 1000);
    }
  }
}

function retryAfterOf(details: Record<string, unknown> | undefined): number {
  const seconds = details?.retryAfter;
  return typeof seconds === 'number' && seconds > 0 ? seconds : DEFAULT_RETRY_SECONDS;
}
