import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { servedCall } from '../src/answers/served-call.ts';
import { servedCalls } from '../src/routers/chunking/served.ts';
import { authedProcedure, publicProcedure } from '../src/trpc.ts';

// The served forms write out the procedures' middleware chains step by step (served-call.ts); a
// procedure whose chain they do not reproduce must be refused when it is declared, never served
// with a step missing.
const answer = () => {
  throw new Error('not called');
};

describe('served forms of procedures', () => {
  it('reproduce the public and the authenticated chains', () => {
    expect(() => servedCall(publicProcedure.input(z.object({})), 'query', answer)).not.toThrow();
    expect(() => servedCall(authedProcedure.input(z.object({})), 'mutation', answer)).not.toThrow();
    expect([...servedCalls.keys()]).toEqual([
      'chunking.strategies',
      'chunking.preview',
      'chunking.getPreview',
      'chunking.previewByHash',
    ]);
  });

  it('refuse a procedure with a step of its own, or without an input', () => {
    const extra = authedProcedure.use(({ next }) => next()).input(z.object({}));
    expect(() => servedCall(extra, 'query', answer)).toThrow(/does not reproduce/);
    expect(() => servedCall(authedProcedure, 'query', answer)).toThrow(/does not reproduce/);
  });
});
