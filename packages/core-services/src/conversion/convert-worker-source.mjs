// The conversion threads' entry when Chunkflow runs from its TypeScript source (tests, tsx): worker
// threads start without the TypeScript loader, so this registers tsx, then offers convert-worker.ts.
// Built, the threads start convert-worker.js directly (see thread-entry.ts).
import { register } from 'tsx/esm/api';

// Before the loader: plain JavaScript the loader need not transform (see the converters' parsers.mjs).
await import('@chunkflow/converters/parsers');
register();
const { default: convert } = await import('./convert-worker.ts');
export default convert;
