/** The progress of one operation as its subscribers see it; every event names its operation. */
export interface ProgressCounters {
  documentsDone: number;
  documentsTotal: number;
  chunksCreated: number;
}

export type ProgressEvent = { operationId: string; at: string } & (
  | { type: 'started'; documentsTotal: number }
  | ({ type: 'document_completed'; currentDocument: { id: string; name: string } } & ProgressCounters)
  | ({ type: 'completed'; processingMs: number | null } & ProgressCounters)
  | ({ type: 'failed'; error: { code: string; message: string } } & ProgressCounters)
  | ({ type: 'cancelled' } & ProgressCounters)
);

export type ProgressEventType = ProgressEvent['type'];

/** After one of these nothing more happens to the operation, so a stream of its events ends. */
export function isTerminalEvent(event: ProgressEvent): boolean {
  return event.type === 'completed' || event.type === 'failed' || event.type === 'cancelled';
}

/** What a publisher gives: the time is stamped on publishing, as ISO text so every store reads it alike. */
export type ProgressEventInput = DistributiveOmit<ProgressEvent, 'at'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
