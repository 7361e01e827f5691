// The chunking pool's thread entry when Chunkflow runs from its TypeScript source (tests, tsx):
// worker threads start without the TypeScript loader, so this registers tsx, then offers the tasks
// of chunk-worker.ts. Built, the pool starts chunk-worker.js directly (see thread-entry.ts).
import { register } from 'tsx/esm/api';

register();
export const { preview, tables, documentTables, recommend } = await import('./chunk-worker.ts');
