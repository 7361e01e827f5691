import type { ApiErrorData } from '@chunkflow/api';

interface OpenApiErrorPayload {
  data?: ApiErrorData;
}

/**
 * The REST adapter answers errors in tRPC's shape; REST clients get the documented
 * `{ error: { code, message, correlationId, details? } }` instead, built from our formatter's data.
 * The request's own id is authoritative: the formatter may not have seen a context.
 */
export function toRestErrorEnvelope(payload: string, correlationId: string): string {
  let parsed: OpenApiErrorPayload;
  try {
    parsed = JSON.parse(payload) as OpenApiErrorPayload;
  } catch {
    return payload;
  }
  const data = parsed.data;
  if (!data?.code) return payload;
  const error = {
    code: data.code,
    message: data.message,
    correlationId,
    ...(data.details === undefined ? {} : { details: data.details }),
  };
  return JSON.stringify({ error });
}
