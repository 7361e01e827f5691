/**
 * Stable application error codes: the HTTP status each answers, what it means (the OpenAPI
 * document lists these), and for 5xx codes the safe text a client sees instead of the message.
 * Clients switch on `code`; everything about a code is decided in this one table.
 * Validation failures (bad input shape or config) answer 400: the request itself is wrong. 422 is
 * kept for a well-formed request whose work is more than the server spends on one request.
 */
interface ErrorCodeEntry {
  status: number;
  description: string;
  /** What a client reads instead of the message of a 5xx (its internals stay in the logs). */
  publicMessage?: string;
}

export const errorCodeTable = {
  VALIDATION_ERROR: { status: 400, description: 'Invalid input' },
  INVALID_CONFIG: {
    status: 400,
    description: 'A chunking config the engine cannot run; `details.field` names the key',
  },
  UNAUTHORIZED: { status: 401, description: 'Missing or invalid API key' },
  FORBIDDEN: { status: 403, description: 'The API key may not do this' },
  NOT_FOUND: { status: 404, description: 'Unknown id, or another tenant’s' },
  NOT_CACHED: {
    status: 404,
    description: 'No cached preview for this content hash, strategy and config: send the content instead',
  },
  CONFLICT: { status: 409, description: 'Conflict with stored state' },
  INVALID_STATE_TRANSITION: { status: 409, description: 'The resource cannot move to the state asked for' },
  DOCUMENT_TOO_LARGE: { status: 413, description: 'Document or body too large' },
  UNSUPPORTED_DOCUMENT: {
    status: 415,
    description: 'A document type not taken (PDF, DOCX, HTML, Markdown, plain text and source code are)',
  },
  INVALID_DOCUMENT: {
    status: 422,
    description:
      'A document that cannot be read safely: corrupt, encrypted, a bomb, its declared type contradicted by its bytes, or over its conversion budget',
  },
  BUDGET_EXCEEDED: {
    status: 422,
    description: 'The work asked for exceeded the per-request time budget; ask for less',
  },
  RATE_LIMITED: { status: 429, description: 'Rate limit exceeded; see Retry-After' },
  /** nginx's 499, since no standard status fits. */
  CANCELLED: { status: 499, description: 'The caller went away or aborted the request' },
  INTERNAL_ERROR: {
    status: 500,
    description: 'Unexpected failure; details stay in the server logs',
    publicMessage: 'The server could not complete the request',
  },
  DEPENDENCY_UNAVAILABLE: {
    status: 503,
    description: 'A service the request depends on is unavailable; see Retry-After',
    publicMessage: 'A service the request depends on is temporarily unavailable; retry later',
  },
  RESOURCE_EXHAUSTED: {
    status: 503,
    description: 'The server is saturated (e.g. its memory for large documents); see Retry-After',
    publicMessage: 'The server is busy; retry later',
  },
  TIMEOUT: { status: 504, description: 'The request timed out', publicMessage: 'The request timed out' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof errorCodeTable;

export const errorCodes = Object.keys(errorCodeTable) as ErrorCode[];

export const errorHttpStatus = Object.fromEntries(
  errorCodes.map((code) => [code, errorCodeTable[code].status]),
) as { [Code in ErrorCode]: (typeof errorCodeTable)[Code]['status'] };

/** The table's codes grouped by the status they answer, in ascending status order. */
export function errorCodesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...errorCodes].sort((a, b) => errorHttpStatus[a] - errorHttpStatus[b])) {
    byStatus.set(errorHttpStatus[code], [...(byStatus.get(errorHttpStatus[code]) ?? []), code]);
  }
  return byStatus;
}
