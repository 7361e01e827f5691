import type { BulkItemResultLine } from '@chunkflow/api';

export type ImportResult = BulkItemResultLine;

/** The server's bounds on one import request (BULK_LIMITS in @chunkflow/core-services; a test holds them equal). */
export const IMPORT_LIMITS = {
  /** Files in one request. */
  maxItems: 10_000,
  /** Bytes of one line: a file of about 12 MiB once in base64. */
  maxLineBytes: 16 * 1024 * 1024,
  /** Documents in one `documents.createMany` call. */
  maxBatchDocuments: 500,
  /** Hashes in one `documents.findByHashes` call. */
  maxLookupHashes: 1000,
} as const;

/** A file to import: its bytes (any type the server converts) or its text. */
export interface ImportFile {
  name: string;
  bytes?: Uint8Array;
  text?: string;
  /** The file's media type; absent, the server detects it from the bytes and the name. */
  contentType?: string;
  metadata?: Record<string, unknown>;
}

export interface ImportBatchOptions {
  /** Server origin, e.g. `http://localhost:3000`. */
  url: string;
  apiKey?: string;
  correlationId?: string;
  collectionId: string;
  files: readonly ImportFile[];
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface ImportSummary {
  created: number;
  duplicates: number;
  refused: number;
}

/** An import refused or ended early: the server's error code, message and the request's correlation id. */
export class ImportError extends Error {
  readonly code: string;
  readonly status: number;
  readonly correlationId: string | undefined;
  /** Seconds to wait before retrying, when the server said (RATE_LIMITED, RESOURCE_EXHAUSTED). */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    error: {
      code?: string | undefined;
      message?: string | undefined;
      correlationId?: string | undefined;
      details?: { retryAfter?: unknown } | undefined;
    },
    retryAfter?: number,
  ) {
    super(error.message ?? `Import answered ${status}`);
    this.name = 'ImportError';
    this.status = status;
    this.code = error.code ?? 'INTERNAL_ERROR';
    this.correlationId = error.correlationId;
    const detailed = error.details?.retryAfter;
    this.retryAfter = retryAfter ?? (typeof detailed === 'number' ? detailed : undefined);
  }
}

/** Standard base64, in browsers as in Node (btoa over slices: a whole file would overflow the arguments). */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.byteLength; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** One NDJSON line per file, each within the server's line limit. */
export function importLine(file: ImportFile): string {
  const line = JSON.stringify({
    name: file.name,
    ...(file.contentType ? { contentType: file.contentType } : {}),
    ...(file.metadata ? { metadata: file.metadata } : {}),
    ...(file.bytes ? { base64: base64Of(file.bytes) } : { text: file.text ?? '' }),
  });
  return `${line}\n`;
}

async function refusal(response: Response): Promise<ImportError> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: ConstructorParameters<typeof ImportError>[1] }
    | undefined;
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new ImportError(
    response.status,
    { correlationId: response.headers.get('x-correlation-id') ?? undefined, ...body?.error },
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

async function* lines(body: NonNullable<Response['body']>): AsyncGenerator<unknown, void, undefined> {
  let pending = '';
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    pending += text;
    let start = 0;
    for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n', start)) {
      yield JSON.parse(pending.slice(start, newline));
      start = newline + 1;
    }
    pending = pending.slice(start);
  }
  if (pending.trim() !== '') throw new ImportError(502, { message: 'The import answer ended inside a line' });
}

/**
 * Imports files into a collection in one request to the NDJSON import route: the server converts
 * each as an upload and stores them in batches. Yields each file's result (created, duplicate
 * with the existing id, or refused with its typed error) as the server stores it, and returns the
 * counts. A refused request, or one the server ended early, throws ImportError (results received
 * before it were yielded). Bounds: IMPORT_LIMITS.
 */
export async function* importBatch(
  options: ImportBatchOptions,
): AsyncGenerator<ImportResult, ImportSummary, undefined> {
  if (options.files.length > IMPORT_LIMITS.maxItems) {
    throw new RangeError(`An import request takes at most ${IMPORT_LIMITS.maxItems} files`);
  }
  const url = new URL(
    `/api/v2/collections/${encodeURIComponent(options.collectionId)}/documents/import`,
    options.url.replace(/\/$/, ''),
  );
  const response = await (options.fetch ?? fetch)(url.href, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      accept: 'application/x-ndjson',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...(options.correlationId ? { 'x-correlation-id': options.correlationId } : {}),
    },
    body: options.files.map(importLine).join(''),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok || response.body === null) throw await refusal(response);
  for await (const line of lines(response.body)) {
    const end = line as {
      status?: string;
      summary?: ImportSummary;
      error?: ConstructorParameters<typeof ImportError>[1];
    };
    // Results have a status (a refused one its own error); the last line has none.
    if (end.status !== undefined) yield line as ImportResult;
    else if (end.summary) return end.summary;
    else throw new ImportError(200, end.error ?? { message: 'The import answered an unknown line' });
  }
  throw new ImportError(502, { message: 'The import answer ended before its summary' });
}
