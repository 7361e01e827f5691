import { setTimeout as sleep } from 'node:timers/promises';
import type { ChunkflowClient } from '@chunkflow/client';
import type { ProgressBar } from './progress.ts';

const POLL_MS = 500;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export interface FollowedOperation {
  id: string;
  status: string;
  documentsDone: number;
  documentsTotal: number;
  chunksCreated: number;
  processingMs: number | null;
  error: unknown;
}

/** Polls the operation until it ends, drawing its documents done and chunks made on the bar. */
export async function followOperation(
  client: ChunkflowClient,
  operationId: string,
  bar: ProgressBar,
): Promise<FollowedOperation> {
  let started = false;
  for (;;) {
    const operation = await client.operations.get.query({ id: operationId });
    if (!started && operation.documentsTotal > 0) {
      bar.start(operation.documentsTotal, 'chunking ');
      started = true;
    }
    if (started) bar.update(operation.documentsDone, `| ${operation.chunksCreated} chunks`);
    if (TERMINAL.has(operation.status)) {
      if (started) bar.stop();
      return operation;
    }
    await sleep(POLL_MS);
  }
}
