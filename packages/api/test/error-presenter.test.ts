import { exceptionTranslator } from '@chunkflow/core-services';
import { InvalidConfigError, runWithCorrelation } from '@chunkflow/errors';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiErrorPresenter } from '../src/error-formatting.ts';

const presenter = new ApiErrorPresenter(exceptionTranslator);

describe('ApiErrorPresenter', () => {
  it('passes a thrown ApplicationError through with its code and details', () => {
    const cause = runWithCorrelation(
      'c-9',
      () => new InvalidConfigError('overlap too large', 'chunkOverlap'),
    );
    const wrapped = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
    const presented = presenter.present(presenter.toApplicationError(wrapped), undefined);
    expect(presented).toEqual({
      code: 'INVALID_CONFIG',
      message: 'overlap too large',
      correlationId: 'c-9',
      details: { field: 'chunkOverlap' },
      httpStatus: 400,
    });
  });

  it('lists the failing fields of invalid input', () => {
    const zodError = z.object({ name: z.string() }).safeParse({ name: 1 }).error;
    const wrapped = new TRPCError({ code: 'BAD_REQUEST', cause: zodError });
    const presented = presenter.present(presenter.toApplicationError(wrapped), 'c-1');
    expect(presented).toMatchObject({ code: 'VALIDATION_ERROR', httpStatus: 400, correlationId: 'c-1' });
    expect(presented.details).toMatchObject({ issues: [{ path: 'name' }] });
  });

  it('hides the message of an unexpected failure', () => {
    const wrapped = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new Error('secret=42 in query') });
    const presented = presenter.present(presenter.toApplicationError(wrapped), 'c-2');
    expect(presented.code).toBe('INTERNAL_ERROR');
    expect(presented.httpStatus).toBe(500);
    expect(JSON.stringify(presented)).not.toContain('secret');
  });

  it('maps an unknown procedure to NOT_FOUND', () => {
    const presented = presenter.present(
      presenter.toApplicationError(new TRPCError({ code: 'NOT_FOUND' })),
      'c-3',
    );
    expect(presented).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
  });
});
