import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The built page: where `pnpm --filter @chunkflow/web build` writes it when run from source; once
 * built, the copy the server's build puts in dist/playground, so a deployed server carries its page.
 */
export const playgroundDist = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../../../web/dist/' : '../playground/', import.meta.url),
);

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
        .send('The playground page is not built: run `pnpm build` (npm start does).'),
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
