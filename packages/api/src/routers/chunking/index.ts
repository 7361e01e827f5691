import { router } from '../../trpc.ts';
import { catalogProcedures } from './catalog.ts';
import { operationProcedures } from './operations.ts';
import { previewProcedures } from './previews.ts';

export const chunkingRouter = router({
  ...catalogProcedures,
  ...previewProcedures,
  ...operationProcedures,
});
