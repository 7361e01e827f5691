import {
  type ApplicationError,
  ConflictError,
  DependencyUnavailableError,
  type ErrorRecognizer,
  NotFoundError,
} from '@chunkflow/errors';
import { Prisma } from './generated/prisma/client.ts';

const DEPENDENCY = 'database';

/** Prisma codes that mean the database could not be reached or serve the request. */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1000', // authentication failed
  'P1001', // cannot reach server
  'P1002', // server timed out
  'P1003', // database does not exist
  'P1008', // operation timed out
  'P1010', // access denied
  'P1011', // TLS error
  'P1017', // server closed the connection
  'P2024', // timed out waiting for a pooled connection
  'P2037', // too many connections
]);

/** Node socket errors and PostgreSQL SQLSTATEs (raw `pg`) meaning the same. */
const UNAVAILABLE_DRIVER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now
  '53300', // too many connections
]);

/**
 * Driver-adapter failure kinds (Prisma 7) meaning the same. Raw queries (`$queryRaw`, P2010) report
 * a dropped connection only this way, in `meta.driverAdapterError.cause.kind`.
 */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'ConnectionClosed',
  'DatabaseNotReachable',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);

function adapterFailureKind(error: Prisma.PrismaClientKnownRequestError): unknown {
  const adapterError = error.meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined;
  return adapterError?.cause?.kind;
}

function fromKnownRequest(error: Prisma.PrismaClientKnownRequestError): ApplicationError | undefined {
  const model = typeof error.meta?.modelName === 'string' ? error.meta.modelName : 'Record';
  if (error.code === 'P2002') return new ConflictError(`${model} already exists`, { cause: error });
  if (error.code === 'P2003') {
    return new ConflictError(`${model} refers to a record that does not exist`, { cause: error });
  }
  if (error.code === 'P2025') return new NotFoundError(model, 'requested', { cause: error });
  const adapterKind = adapterFailureKind(error);
  if (
    UNAVAILABLE_PRISMA_CODES.has(error.code) ||
    // A failed connect's errno comes through as the code; ENOENT: the embedded database's socket is gone.
    UNAVAILABLE_DRIVER_CODES.has(error.code) ||
    error.code === 'ENOENT' ||
    (typeof adapterKind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(adapterKind))
  )
    return new DependencyUnavailableError(DEPENDENCY, { cause: error });
  return undefined;
}

function driverCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Recogniser for `new ExceptionTranslator([recognizePrismaError])`: unique violations become
 * CONFLICT, missing records NOT_FOUND, connection failures DEPENDENCY_UNAVAILABLE; the original
 * error is kept as `cause`.
 */
export const recognizePrismaError: ErrorRecognizer = (error) => {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return fromKnownRequest(error);
  if (error instanceof Prisma.PrismaClientInitializationError) {
    return new DependencyUnavailableError(DEPENDENCY, { cause: error });
  }
  const code = driverCode(error);
  if (code === '23505') return new ConflictError('Record already exists', { cause: error });
  if (code !== undefined && (UNAVAILABLE_DRIVER_CODES.has(code) || code.startsWith('08'))) {
    return new DependencyUnavailableError(DEPENDENCY, { cause: error });
  }
  return undefined;
};

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** A row referring to one that no longer exists (a raw statement reports it through the adapter). */
/** PostgreSQL's SQLSTATE for a foreign-key violation, as raw `pg` reports it. */
const FOREIGN_KEY_VIOLATION = '23503';

export function isForeignKeyViolation(error: unknown): boolean {
  if (error instanceof Error && (error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return true;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2003' || adapterFailureKind(error) === 'ForeignKeyConstraintViolation';
}

export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
