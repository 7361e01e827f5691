import {
  ApplicationError,
  CORRELATION_HEADER,
  type ErrorCode,
  errorCodes,
  resolveCorrelationId,
} from '@chunkflow/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
// A test-only procedure built the way routers build theirs: it fails with the code it is asked for.
import { publicProcedure, router } from '../../../packages/api/src/trpc.ts';
import { registerCorrelation } from '../src/http/correlation.ts';
import { registerErrorHandling } from '../src/http/error-handling.ts';
import { serveProcedures } from '../src/http/trpc-routes.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const RETRY_AFTER_SECONDS = 3;

function failureOf(code: ErrorCode): ApplicationError {
  return new ApplicationError(code, `failed with ${code}`, {
    details: { asked: code },
    ...(code === 'RATE_LIMITED' || code === 'DEPENDENCY_UNAVAILABLE'
      ? { retryAfter: RETRY_AFTER_SECONDS }
      : {}),
  });
}

const codeSchema = z.object({ code: z.enum(errorCodes) });

const testRouter = router({
  fail: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/test/fail', protect: false } })
    .input(codeSchema)
    .output(z.object({}))
    .mutation(({ input }) => {
      throw failureOf(input.code);
    }),
});

/** What every answer must agree on: status, headers, and the public fields of the body. */
interface Observed {
  status: number;
  retryAfter: string | null;
  correlationHeader: string | null;
  body: unknown;
  trpcCode?: number;
}

interface TrpcErrorJson {
  code: number;
  data: { code: string; message: string; correlationId: string; details?: unknown };
}

async function observe(response: Response): Promise<Observed> {
  const { error } = (await response.json()) as { error: { json?: TrpcErrorJson } };
  const base = {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    correlationHeader: response.headers.get(CORRELATION_HEADER),
  };
  if (error.json === undefined) return { ...base, body: error };
  const { code, message, correlationId, details } = error.json.data;
  return {
    ...base,
    body: { code, message, correlationId, ...(details === undefined ? {} : { details }) },
    trpcCode: error.json.code,
  };
}

describe('one answer per error code, wherever it is raised', () => {
  let server: TestServer;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer('embedded');
    app = Fastify({ genReqId: (request) => resolveCorrelationId(request.headers[CORRELATION_HEADER]) });
    registerCorrelation(app);
    registerErrorHandling(app, 1024 * 1024);
    // A refusal at the edge, before any procedure runs (as the throttles and early key checks do).
    app.addHook('onRequest', async (request) => {
      const refuse = request.headers['x-refuse-at-edge'];
      if (typeof refuse === 'string') throw failureOf(refuse as ErrorCode);
    });
    serveProcedures(app, testRouter, {
      services: server.app.services,
      logger: pino({ level: 'silent' }),
      maxBatchSize: 10,
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  const call = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it.each(errorCodes)('%s answers the same over tRPC, REST and from the edge', async (code) => {
    const correlation = { [CORRELATION_HEADER]: `answers-${code}` };
    const edge = { ...correlation, 'x-refuse-at-edge': code };
    const trpcInput = JSON.stringify({ json: { code } });
    const restInput = JSON.stringify({ code });
    const [trpc, rest, restEdge, trpcEdge] = await Promise.all([
      call('/trpc/fail', trpcInput, correlation).then(observe),
      call('/api/v2/test/fail', restInput, correlation).then(observe),
      call('/api/v2/test/fail', restInput, edge).then(observe),
      call('/trpc/fail', trpcInput, edge).then(observe),
    ]);

    const status = failureOf(code).httpStatus;
    const retryAfter = failureOf(code).retryAfter === undefined ? null : String(RETRY_AFTER_SECONDS);
    const expected = { status, retryAfter, correlationHeader: `answers-${code}` };
    for (const answer of [trpc, rest, restEdge, trpcEdge]) expect(answer).toMatchObject(expected);
    expect(rest.body).toEqual(trpc.body);
    expect(restEdge.body).toEqual(trpc.body);
    expect(trpcEdge.body).toEqual(trpc.body);
    expect(trpcEdge.trpcCode).toBe(trpc.trpcCode);
    expect(trpc.body).toMatchObject({ code, correlationId: `answers-${code}` });
    // 5xx texts are replaced; 4xx ones are the error's own.
    if (status >= 500) expect(JSON.stringify(trpc.body)).not.toContain(`failed with ${code}`);
    else expect(trpc.body).toMatchObject({ message: `failed with ${code}`, details: { asked: code } });
  });
});
