import { catalogProcedures } from './catalog.ts';
import { operationProcedures } from './operations.ts';
import { previewProcedures } from './previews.ts';

/** A plain record, not `router()`: tRPC's router() rejects the key `apply`, nested records allow it. */
export const chunkingRouter = {
  ...catalogProcedures,
  ...previewProcedures,
  ...operationProcedures,
};
