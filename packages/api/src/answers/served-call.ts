import { runWithCorrelation } from '@chunkflow/errors';
import { TRPCError } from '@trpc/server';
import {
  type AnyProcedureBuilder,
  getParseFn,
  type inferProcedureBuilderResolverOptions,
} from '@trpc/server/unstable-core-do-not-import';
import type { AuthedContext, RequestContext } from '../context.ts';
import { translatedFailure, translateErrors } from '../errors/translate.ts';
import { authenticate, callerTenant } from '../middleware/authenticate.ts';
import { deadlineOnto, withDeadline } from '../middleware/deadline.ts';
import type { ApiMeta } from '../middleware/meta.ts';
import { observeCall, observeProcedures } from '../middleware/procedure-metrics.ts';
import { admitCall, rateLimit } from '../middleware/rate-limit.ts';
import { recordProcedure, recordTenant, reportProcedure, reportTenant } from '../middleware/request-facts.ts';
import { inCorrelationScope } from '../trpc.ts';
import type { ServedAnswer } from './served-answer.ts';

/** A served procedure, run by the transport for a single call with its raw (deserialised) input. */
export interface ServedCall {
  type: 'query' | 'mutation';
  /**
   * `departure`: a controller the transport aborts when the client goes away, asked for only by
   * procedures whose work can outrun the request's budget (a preview by content may compute):
   * the others arm no timer and listen for nothing.
   */
  run(
    path: string,
    ctx: RequestContext,
    rawInput: unknown,
    departure: () => AbortController,
  ): Promise<ServedAnswer>;
}

type Steps = readonly unknown[];
const stepsOf = (...middlewares: { _middlewares: Steps }[]): Steps =>
  middlewares.flatMap((m) => m._middlewares);

/** The chains `run` reproduces step for step: publicProcedure's, and authedProcedure's after it. */
const PUBLIC_STEPS: Steps = [
  inCorrelationScope,
  ...stepsOf(recordProcedure, observeProcedures, translateErrors, withDeadline),
];
const AUTHED_STEPS: Steps = [...PUBLIC_STEPS, ...stepsOf(authenticate, recordTenant, rateLimit)];

const startsWith = (steps: Steps, prefix: Steps) =>
  steps.length >= prefix.length && prefix.every((step, index) => steps[index] === step);

/**
 * Whether the builder's calls need a key: its middleware must be exactly one of the chains above
 * then its input's parser, or the served form would skip a step the procedure takes (a refusal at
 * start-up, not a quiet difference).
 */
function needsKey(def: { middlewares: Steps }): boolean {
  const [last] = def.middlewares.slice(-1);
  const rest = def.middlewares.slice(0, -1);
  const isInput = (last as { _type?: string } | undefined)?._type === 'input';
  if (isInput && rest.length === AUTHED_STEPS.length && startsWith(rest, AUTHED_STEPS)) return true;
  if (isInput && rest.length === PUBLIC_STEPS.length && startsWith(rest, PUBLIC_STEPS)) return false;
  throw new Error('A served procedure takes middleware its served form does not reproduce');
}

/**
 * The served form of a procedure built up to its input: the same steps its middleware takes, in
 * the same order (correlation scope, request facts, metrics, error translation, deadline, key,
 * rate limit, input schema), written out instead of run through tRPC's caller, whose per-call
 * proxies, context merges and closures cost a cache hit more than the rest of its work.
 * `deadline`: whether the answer can run long (compute); only then is a budget timer armed, as
 * the procedure's deadline is only read by work that can outrun it.
 */
export function servedCall<Builder extends AnyProcedureBuilder>(
  builder: Builder,
  type: ServedCall['type'],
  answer: (
    ctx: inferProcedureBuilderResolverOptions<Builder>['ctx'],
    input: inferProcedureBuilderResolverOptions<Builder>['input'],
  ) => Promise<ServedAnswer> | ServedAnswer,
  options: { deadline: boolean } = { deadline: false },
): ServedCall {
  const def = builder._def as { middlewares: Steps; inputs: unknown[]; meta?: ApiMeta };
  const keyed = needsKey(def);
  const parse = getParseFn(def.inputs[0] as Parameters<typeof getParseFn>[0]);
  type Ctx = Parameters<typeof answer>[0];

  async function steps(
    path: string,
    ctx: RequestContext,
    rawInput: unknown,
    departure: () => AbortController,
  ) {
    reportProcedure(path);
    const call = { path, type, startedMs: performance.now() };
    const deadline = options.deadline ? deadlineOnto(ctx, path, departure()) : undefined;
    try {
      let callCtx: RequestContext | AuthedContext = ctx;
      if (keyed) {
        const tenant = await callerTenant(ctx);
        callCtx = { ...ctx, tenant };
        reportTenant(tenant.id);
        await admitCall(callCtx, def.meta);
      }
      let input: unknown;
      try {
        input = await parse(rawInput);
      } catch (cause) {
        throw new TRPCError({ code: 'BAD_REQUEST', cause });
      }
      const served = await answer({ ...callCtx, signal: deadline?.signal } as Ctx, input as never);
      observeCall(ctx, call);
      return served;
    } catch (error) {
      const failure = translatedFailure(error);
      observeCall(ctx, call, failure);
      throw failure;
    } finally {
      deadline?.dispose();
    }
  }

  return {
    type,
    run: (path, ctx, rawInput, departure) =>
      runWithCorrelation(ctx.correlationId, () => steps(path, ctx, rawInput, departure)),
  };
}
