import { AsyncLocalStorage } from 'node:async_hooks';
import { experimental_standaloneMiddleware } from '@trpc/server';
import type { AuthedContext, RequestContext } from '../context.ts';

/** What the procedures of one HTTP request learnt about it, for its log line. */
export interface RequestFacts {
  /** Paths of the procedures called (several for a tRPC batch). */
  procedures: string[];
  tenantId: string | undefined;
}

const storage = new AsyncLocalStorage<RequestFacts>();

/** Runs `fn` (the rest of an HTTP request) with `facts` collecting what its procedures report. */
export function runWithRequestFacts<T>(facts: RequestFacts, fn: () => T): T {
  return storage.run(facts, fn);
}

/** Reports a procedure called by the current request. */
export function reportProcedure(path: string): void {
  storage.getStore()?.procedures.push(path);
}

/** Reports the current request's tenant. */
export function reportTenant(tenantId: string): void {
  const facts = storage.getStore();
  if (facts) facts.tenantId = tenantId;
}

export const recordProcedure = experimental_standaloneMiddleware<{ ctx: RequestContext }>().create(
  ({ path, next }) => {
    reportProcedure(path);
    return next();
  },
);

export const recordTenant = experimental_standaloneMiddleware<{ ctx: AuthedContext }>().create(
  ({ ctx, next }) => {
    reportTenant(ctx.tenant.id);
    return next();
  },
);
