/**
 * Stable application error codes and the HTTP status each maps to. Clients switch on `code`;
 * the status is derived from it in this one place.
 * Validation failures (bad input shape or config) answer 400: the request itself is wrong. 422 is
 * kept for a well-formed request whose work is more than the server spends on one request.
 */
export const errorHttpStatus = {
  VALIDATION_ERROR: 400,
  INVALID_CONFIG: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE_TRANSITION: 409,
  DOCUMENT_TOO_LARGE: 413,
  /** The work a request asks for exceeded the server's per-request time/CPU budget; ask for less. */
  BUDGET_EXCEEDED: 422,
  RATE_LIMITED: 429,
  /** The caller went away or aborted; nginx's 499, since no standard status fits. */
  CANCELLED: 499,
  INTERNAL_ERROR: 500,
  DEPENDENCY_UNAVAILABLE: 503,
  /** The server is saturated (e.g. its memory budget for large documents); retry later. */
  RESOURCE_EXHAUSTED: 503,
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorHttpStatus;

export const errorCodes = Object.keys(errorHttpStatus) as ErrorCode[];
