// The floor a cached preview is measured against: a bare tRPC 11 + Fastify 5 + superjson server
// answering the same preview object from memory, with none of Chunkflow's work around it (auth,
// limits, cache look-up, correlation ids, logging).
import { initTRPC } from '@trpc/server';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify from 'fastify';
import superjson from 'superjson';

export interface FloorServer {
  url: string;
  close(): Promise<void>;
}

export async function startFloorServer(answer: unknown, port = 0): Promise<FloorServer> {
  const t = initTRPC.create({ transformer: superjson });
  const router = t.router({
    // The same wire shape as chunking.preview: a mutation whose input is parsed, then the answer.
    preview: t.procedure.input((input: unknown) => input).mutation(() => answer),
    noop: t.procedure.query(() => null),
  });
  const app = Fastify({ routerOptions: { maxParamLength: 5000 } });
  await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: { router } });
  const url = await app.listen({ port, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
