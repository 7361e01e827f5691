import { router } from '../../trpc.ts';
import { catalogProcedures } from './catalog.ts';
import { collectionWorkProcedures } from './collection-work.ts';
import { previewProcedures } from './previews.ts';

export const chunkingRouter = router({
  ...catalogProcedures,
  ...previewProcedures,
  ...collectionWorkProcedures,
});
