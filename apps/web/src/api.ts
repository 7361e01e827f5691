import { type ChunkflowClient, createChunkflowClient } from '@chunkflow/client';

const API_KEY_STORAGE = 'chunkflow.apiKey';

export function storedApiKey(): string | undefined {
  return localStorage.getItem(API_KEY_STORAGE) ?? undefined;
}

export function storeApiKey(apiKey: string | undefined): void {
  if (apiKey) localStorage.setItem(API_KEY_STORAGE, apiKey);
  else localStorage.removeItem(API_KEY_STORAGE);
}

/** The page is served by the API server itself, so the API is at the page's origin. */
export function connect(apiKey: string | undefined): ChunkflowClient {
  return createChunkflowClient({ url: window.location.origin, ...(apiKey ? { apiKey } : {}) });
}

type Output<Call extends (...args: never[]) => unknown> = Awaited<ReturnType<Call>>;

export type StrategyInfo = Output<ChunkflowClient['chunking']['strategies']['query']>['strategies'][number];
export type Preview = Output<ChunkflowClient['chunking']['preview']['mutate']>;
export type PreviewChunk = Preview['chunks'][number];
export type ChunkMetrics = Preview['metrics'];
export type Comparison = Output<ChunkflowClient['chunking']['compare']['mutate']>;
export type Collection = Output<ChunkflowClient['collections']['get']['query']>;
export type DocumentSummary = Output<ChunkflowClient['documents']['list']['query']>['items'][number];
export type Statistics = Output<ChunkflowClient['chunking']['statistics']['query']>;
/** Chunks whose char count lies in `[from, to]`: a bin of the server's size distribution. */
export type SizeBin = Statistics['sizeDistribution'][number];
export type { ChunkflowClient };
