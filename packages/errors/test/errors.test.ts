import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ApplicationError,
  BudgetExceededError,
  DocumentTooLargeError,
  ExceptionTranslator,
  ResourceExhaustedError,
  resolveCorrelationId,
  runWithCorrelation,
} from '../src/index.ts';

const translator = new ExceptionTranslator();

describe('ApplicationError', () => {
  it('carries code, status, correlation id and cause (the seed validation)', () => {
    const cause = new RangeError('buffer too small');
    const error = runWithCorrelation('req-42', () => new DocumentTooLargeError(999_999_999, 100, { cause }));
    expect(error.code).toBe('DOCUMENT_TOO_LARGE');
    expect(error.httpStatus).toBe(413);
    expect(error.correlationId).toBe('req-42');
    expect(error.cause).toBe(cause);
    expect(translator.toPublic(error)).toMatchObject({
      code: 'DOCUMENT_TOO_LARGE',
      correlationId: 'req-42',
    });
  });
});

describe('ExceptionTranslator', () => {
  it('turns zod errors into VALIDATION_ERROR listing the failing fields', () => {
    const parsed = z.object({ size: z.number() }).safeParse({ size: 'x' });
    const error = translator.translate(parsed.error);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details).toMatchObject({ issues: [{ path: 'size' }] });
    expect(error.cause).toBe(parsed.error);
  });

  it('never leaks an internal message to the client', () => {
    const error = runWithCorrelation('c-1', () =>
      translator.translate(new Error('password=hunter2 at db.ts:12')),
    );
    expect(error).toBeInstanceOf(ApplicationError);
    expect(error.code).toBe('INTERNAL_ERROR');
    const body = translator.toPublic(error);
    expect(body.message).not.toContain('hunter2');
    expect(body.correlationId).toBe('c-1');
    expect(body.details).toBeUndefined();
  });

  it('answers a spent time budget with BUDGET_EXCEEDED (422), shown to the client as it is', () => {
    const error = runWithCorrelation('c-9', () => new BudgetExceededError('chunking.preview', 30_000));
    expect(error.httpStatus).toBe(422);
    expect(translator.toPublic(error)).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      correlationId: 'c-9',
      details: { budgetMs: 30_000 },
    });
  });

  it('translates a pool abort by the reason it carries', () => {
    const budget = new BudgetExceededError('request', 5);
    const poolAbort = (reason: unknown) =>
      Object.assign(new Error('aborted', { cause: reason }), { name: 'AbortError' });
    expect(translator.translate(poolAbort(budget))).toBe(budget);
    const clientGone = new DOMException('gone', 'AbortError');
    expect(translator.translate(poolAbort(clientGone)).code).toBe('CANCELLED');
    // Other libraries' AbortErrors without such a reason stay internal.
    expect(translator.translate(poolAbort(undefined)).code).toBe('INTERNAL_ERROR');
  });

  it('translates non-error values', () => {
    expect(translator.translate('boom').code).toBe('INTERNAL_ERROR');
    expect(translator.translate(undefined).cause).toBeUndefined();
  });
});

describe('resolveCorrelationId', () => {
  it('keeps a well-formed caller id and replaces a hostile one', () => {
    expect(resolveCorrelationId('abc-123')).toBe('abc-123');
    expect(resolveCorrelationId('a\r\nSet-Cookie: x')).not.toContain('\n');
    expect(resolveCorrelationId('x'.repeat(500))).toHaveLength(36);
    expect(resolveCorrelationId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('abort translation', () => {
  it('maps platform aborts and timeouts, and leaves look-alike names alone', () => {
    const controller = new AbortController();
    controller.abort();
    expect(translator.translate(controller.signal.reason).code).toBe('CANCELLED');
    const timeout = new DOMException('The operation timed out', 'TimeoutError');
    const translated = translator.translate(timeout);
    expect(translated.code).toBe('TIMEOUT');
    expect(translated.message).not.toContain('0 ms');
    const lookAlike = Object.assign(new Error('Command aborted due to connection close'), {
      name: 'AbortError',
    });
    expect(translator.translate(lookAlike).code).toBe('INTERNAL_ERROR');
  });

  it('asks overloaded callers to retry later without revealing internals', () => {
    const error = new ResourceExhaustedError('memory pool');
    expect(error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', httpStatus: 503, retryAfter: 1 });
    expect(translator.toPublic(error, 'c')).toMatchObject({
      message: 'The server is busy; retry later',
      details: { retryAfter: 1 },
    });
  });
});
