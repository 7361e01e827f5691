import { InvalidConfigError, RateLimitedError, runWithCorrelation } from '@chunkflow/errors';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorAnswer, trpcErrorBody } from '../src/errors/answer.ts';
import { toApplicationError } from '../src/errors/translate.ts';

describe('toApplicationError', () => {
  it('passes a thrown ApplicationError through with its code and details', () => {
    const cause = runWithCorrelation(
      'c-9',
      () => new InvalidConfigError('overlap too large', 'chunkOverlap'),
    );
    const wrapped = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
    expect(toApplicationError(wrapped)).toBe(cause);
    expect(errorAnswer(toApplicationError(wrapped)).rest).toEqual({
      error: {
        code: 'INVALID_CONFIG',
        message: 'overlap too large',
        correlationId: 'c-9',
        details: { field: 'chunkOverlap' },
      },
    });
  });

  it('lists the failing fields of invalid input', () => {
    const zodError = z.object({ name: z.string() }).safeParse({ name: 1 }).error;
    const translated = toApplicationError(new TRPCError({ code: 'BAD_REQUEST', cause: zodError }));
    expect(translated).toMatchObject({ code: 'VALIDATION_ERROR', httpStatus: 400 });
    expect(translated.details).toMatchObject({ issues: [{ path: 'name' }] });
  });

  it('hides the message of an unexpected failure', () => {
    const wrapped = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new Error('secret=42 in query') });
    const answer = errorAnswer(toApplicationError(wrapped), { correlationId: 'c-2' });
    expect(answer.status).toBe(500);
    expect(answer.rest.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(answer)).not.toContain('secret');
  });

  it('maps an unknown procedure to NOT_FOUND', () => {
    expect(toApplicationError(new TRPCError({ code: 'NOT_FOUND' }))).toMatchObject({
      code: 'NOT_FOUND',
      httpStatus: 404,
    });
  });
});

describe('errorAnswer', () => {
  it("names the answer by the request's correlation id, not the one the error was made under", () => {
    const shared = runWithCorrelation('other-request', () => new RateLimitedError(7));
    const answer = errorAnswer(shared, { correlationId: 'this-request', path: 'chunking.preview' });
    expect(answer.headers).toEqual({ 'x-correlation-id': 'this-request', 'retry-after': '7' });
    expect(answer.rest.error.correlationId).toBe('this-request');
    expect(answer.trpc).toMatchObject({
      code: -32029,
      data: { code: 'RATE_LIMITED', httpStatus: 429, retryAfter: 7, path: 'chunking.preview' },
    });
  });

  it('keeps a status the framework chose, in the tRPC code as well', () => {
    const answer = errorAnswer(new InvalidConfigError('x', undefined), { correlationId: 'c', status: 414 });
    expect(answer.status).toBe(414);
    expect(answer.trpc.data.httpStatus).toBe(414);
    expect(answer.trpc.code).toBe(-32600);
  });

  it('answers every call of a refused tRPC batch', () => {
    const { trpc } = errorAnswer(new RateLimitedError(1), { correlationId: 'c' });
    expect(JSON.parse(trpcErrorBody(trpc, '/trpc/a,b?batch=1'))).toHaveLength(2);
    expect(JSON.parse(trpcErrorBody(trpc, '/trpc/a')).error.json.data.code).toBe('RATE_LIMITED');
  });
});
