import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `pnpm --filter @chunkflow/web build` (run by `npm start` and `npm test`) writes the page. */
export const playgroundDist = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * The playground page at `/`, with its hashed assets under `/assets/` cached for good. Routes are
 * registered per built file (no wildcard), so every other path still reaches the API's 404.
 */
export function registerWebRoutes(app: FastifyInstance, root: string = playgroundDist): void {
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The playground page is not built: run `pnpm --filter @chunkflow/web build` (npm start does).'),
    );
    return;
  }
  const hashedAssets = join(root, 'assets');
  void app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      const hashed = path.startsWith(hashedAssets);
      void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
