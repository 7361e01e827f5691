import { chunkingRouter } from './routers/chunking/index.ts';
import { collectionsRouter } from './routers/collections.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  chunking: chunkingRouter,
  collections: collectionsRouter,
});

export type AppRouter = typeof appRouter;
