import { chunkingRouter } from './routers/chunking/index.ts';
import { chunksRouter } from './routers/chunks.ts';
import { collectionsRouter } from './routers/collections.ts';
import { documentsRouter } from './routers/documents.ts';
import { keysRouter } from './routers/keys.ts';
import { operationsRouter } from './routers/operations.ts';
import { presetsRouter } from './routers/presets.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  chunking: chunkingRouter,
  collections: collectionsRouter,
  // Presets are served as `configs`, the name their procedures and REST paths were published under.
  configs: presetsRouter,
  documents: documentsRouter,
  chunks: chunksRouter,
  operations: operationsRouter,
  keys: keysRouter,
});

export type AppRouter = typeof appRouter;
