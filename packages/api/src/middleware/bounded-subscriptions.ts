import { experimental_standaloneMiddleware } from '@trpc/server';
import type { AuthedContext } from '../context.ts';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The same events; `release` runs once the stream ends, fails, or its consumer stops early. */
function releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = source[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await iterator.next();
            if (step.done) release();
            return step;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return (await iterator.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * Caps the open subscriptions (SSE streams) of each API key: apply with `.use(boundedSubscriptions)`
 * to a subscription built on `authedProcedure`. One call over the bound answers RATE_LIMITED; the
 * slot is freed when the stream ends or the client goes away (its request signal aborts).
 */
export const boundedSubscriptions = experimental_standaloneMiddleware<{ ctx: AuthedContext }>().create(
  async ({ ctx, type, signal, next }) => {
    if (type !== 'subscription') return next();
    const release = ctx.services.quotas.subscriptions.acquire(ctx.tenant.apiKeyId);
    signal?.addEventListener('abort', release, { once: true });
    const result = await next().catch((error: unknown) => {
      release();
      throw error;
    });
    if (!result.ok) {
      release();
      return result;
    }
    return isAsyncIterable(result.data) ? { ...result, data: releasing(result.data, release) } : result;
  },
);
