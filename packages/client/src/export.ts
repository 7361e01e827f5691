import type { ExportLine } from '@chunkflow/api';

export type { ExportLine };

export interface ExportChunksOptions {
  /** Server origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey?: string;
  correlationId?: string;
  collectionId: string;
  /** Only this document's chunks. */
  documentId?: string;
  /** Resume: only documents after this one (the last document received whole). */
  afterDocumentId?: string;
  /** Stops the download; the iteration then throws the signal's reason. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/**
 * A refused export: the server's error code, message and the request's correlation id. `status`
 * is the refusal's HTTP status, or 200 for one that ended a stream already started (its time
 * budget spent): the lines before it were whole, so resume after the last complete document.
 */
export class ExportError extends Error {
  readonly code: string;
  readonly status: number;
  readonly correlationId: string | undefined;

  constructor(status: number, code: string, message: string, correlationId: string | undefined) {
    super(message);
    this.name = 'ExportError';
    this.status = status;
    this.code = code;
    this.correlationId = correlationId;
  }
}

function exportUrl(options: ExportChunksOptions): string {
  const url = new URL(
    `/api/v2/collections/${encodeURIComponent(options.collectionId)}/export`,
    options.url.replace(/\/$/, ''),
  );
  if (options.documentId !== undefined) url.searchParams.set('documentId', options.documentId);
  if (options.afterDocumentId !== undefined) url.searchParams.set('afterDocumentId', options.afterDocumentId);
  return url.href;
}

type ErrorBody = { error?: { code?: string; message?: string; correlationId?: string } };

/** A stream that fails once started ends with one line in the REST error shape instead of a chunk. */
function isErrorLine(line: ExportLine | ErrorBody): line is ErrorBody {
  return 'error' in line && !('documentId' in line);
}

async function refusal(response: Response): Promise<ExportError> {
  const correlationId = response.headers.get('x-correlation-id') ?? undefined;
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string } }
    | undefined;
  return new ExportError(
    response.status,
    body?.error?.code ?? 'INTERNAL_ERROR',
    body?.error?.message ?? `Export answered ${response.status}`,
    correlationId,
  );
}

/**
 * A collection's stored chunks, one parsed line at a time, read as they arrive (the server
 * streams them from its database as this iterates: nothing is held but the line being read).
 * A refusal throws ExportError; breaking out of the loop closes the connection, which stops the
 * server's reads. A connection lost midway throws: resume with `afterDocumentId` set to the last
 * document received whole.
 */
export async function* exportChunks(
  options: ExportChunksOptions,
): AsyncGenerator<ExportLine, void, undefined> {
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const response = await (options.fetch ?? fetch)(exportUrl(options), {
      headers: {
        accept: 'application/x-ndjson',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...(options.correlationId ? { 'x-correlation-id': options.correlationId } : {}),
      },
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) throw await refusal(response);
    let pending = '';
    for await (const text of response.body.pipeThrough(new TextDecoderStream())) {
      pending += text;
      let newline = pending.indexOf('\n');
      let start = 0;
      for (; newline !== -1; newline = pending.indexOf('\n', start)) {
        const line = JSON.parse(pending.slice(start, newline)) as ExportLine | ErrorBody;
        if (isErrorLine(line)) {
          throw new ExportError(
            response.status,
            line.error?.code ?? 'INTERNAL_ERROR',
            line.error?.message ?? 'Export failed',
            line.error?.correlationId ?? response.headers.get('x-correlation-id') ?? undefined,
          );
        }
        yield line;
        start = newline + 1;
      }
      pending = pending.slice(start);
    }
    if (pending.trim() !== '')
      throw new ExportError(502, 'INTERNAL_ERROR', 'Export ended inside a line', undefined);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    // Leaving early (break, throw): drop the connection so the server stops reading.
    controller.abort();
  }
}
