import { ApplicationError } from '@chunkflow/errors';

/** sysexits(3) codes, so scripts can tell a mistake in the command from a failure to do it. */
export const EXIT = {
  ok: 0,
  /** The command ran and was refused or failed (its error code says why). */
  failed: 1,
  usage: 64,
  /** A server, database or Redis that could not be reached. */
  unavailable: 69,
  config: 78,
} as const;

/** Thrown for a mistake in the command line: the caller prints it with the command's usage. */
export class UsageError extends Error {}

/** A refusal that carries a code and maybe the request's correlation id (server or local). */
interface CodedFailure {
  code: string;
  message: string;
  correlationId?: string | undefined;
}

function codedFailure(error: unknown): CodedFailure | undefined {
  if (error instanceof ApplicationError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  // tRPC client errors carry the server's code and correlation id in `data`; export errors on themselves.
  const data = (error as { data?: { code?: unknown; correlationId?: unknown } }).data;
  const holder = data && typeof data.code === 'string' ? data : (error as { code?: unknown });
  if (typeof holder.code !== 'string' || !/^[A-Z_]+$/.test(holder.code)) return undefined;
  const correlationId = (holder as { correlationId?: unknown }).correlationId;
  return {
    code: holder.code,
    message: (error as Error).message,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
  };
}

/** One line for a person: `chunkflow: CODE: message (correlation id …)`, and the exit status. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  const coded = codedFailure(error);
  if (coded) {
    const id = coded.correlationId ? ` (correlation id ${coded.correlationId})` : '';
    const unavailable = coded.code === 'DEPENDENCY_UNAVAILABLE';
    return {
      line: `chunkflow: ${coded.code}: ${coded.message}${id}`,
      exitCode: unavailable ? EXIT.unavailable : EXIT.failed,
    };
  }
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (error instanceof TypeError && typeof cause?.code === 'string' && cause.code.startsWith('ECONN')) {
    return { line: `chunkflow: UNREACHABLE: ${cause.code} (${error.message})`, exitCode: EXIT.unavailable };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: `chunkflow: INTERNAL_ERROR: ${message}`, exitCode: EXIT.failed };
}
