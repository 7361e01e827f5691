import { chunkingRouter } from './routers/chunking/index.ts';
import { chunksRouter } from './routers/chunks.ts';
import { collectionsRouter } from './routers/collections.ts';
import { configsRouter } from './routers/configs.ts';
import { documentsRouter } from './routers/documents.ts';
import { operationsRouter } from './routers/operations.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  chunking: chunkingRouter,
  collections: collectionsRouter,
  configs: configsRouter,
  documents: documentsRouter,
  chunks: chunksRouter,
  operations: operationsRouter,
});

export type AppRouter = typeof appRouter;
