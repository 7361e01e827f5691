/** Turns texts into vectors; the `semantic` strategy compares vectors of adjacent sentence windows. */
export interface EmbedOptions {
  /** Aborts outstanding requests; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface Embedder {
  /** Stable identity (kind + parameters), reported in chunk metadata. */
  readonly id: string;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

/** An embedder that can also answer synchronously, so the synchronous `chunk()` can use it. */
export interface SyncEmbedder extends Embedder {
  embedSync(texts: readonly string[]): Float32Array[];
}

export function isSyncEmbedder(embedder: Embedder): embedder is SyncEmbedder {
  return typeof (embedder as Partial<SyncEmbedder>).embedSync === 'function';
}

/** Cosine similarity; 0 when either vector is all zeros (e.g. a window of only punctuation). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`Cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
