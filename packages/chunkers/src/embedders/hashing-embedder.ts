import type { SyncEmbedder } from './embedder.ts';

export interface HashingEmbedderOptions {
  /** Vector length; more dimensions mean fewer hash collisions. */
  dimensions?: number | undefined;
  /** Length of the character n-grams taken inside each word. */
  ngram?: number | undefined;
}

const wordPattern = /[\p{L}\p{N}]+/gu;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;

/** 32-bit FNV-1a over UTF-16 code units, continuing from `hash`: fast, deterministic, well spread. */
function fnv1a(text: string, hash = FNV_OFFSET): number {
  let state = hash;
  for (let i = 0; i < text.length; i++) {
    state ^= text.charCodeAt(i);
    state = Math.imul(state, FNV_PRIME);
  }
  return state >>> 0;
}

/** Word features are hashed as "w:" + word; this is the state after the prefix. */
const WORD_PREFIX = fnv1a('w:');

/**
 * Offline, deterministic embedder: the "hashing trick" over lower-cased words and the character
 * n-grams inside them, signed and L2-normalised. No model and no download.
 *
 * Quality, honestly: it measures lexical overlap (shared words, shared word pieces, so inflections
 * and CJK runs match partially), not meaning. Synonyms, paraphrases and translations look
 * unrelated; topic shifts that change vocabulary are found, shifts that keep it are not. Use an
 * HTTP embedder backed by a real model when meaning matters.
 */
export class HashingEmbedder implements SyncEmbedder {
  readonly id: string;
  private readonly dimensions: number;
  private readonly ngram: number;

  constructor(options: HashingEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 512;
    this.ngram = options.ngram ?? 3;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8) {
      throw new RangeError('dimensions must be an integer ≥ 8');
    }
    if (!Number.isInteger(this.ngram) || this.ngram < 1) throw new RangeError('ngram must be an integer ≥ 1');
    this.id = `hashing-${this.dimensions}-${this.ngram}`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(this.embedSync(texts));
  }

  embedSync(texts: readonly string[]): Float32Array[] {
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const match of text.toLowerCase().matchAll(wordPattern)) {
      const word = match[0];
      this.add(vector, fnv1a(word, WORD_PREFIX), 1);
      // N-grams of " word " (space-padded), hashed from code units without building substrings.
      // Word pieces weigh less than whole words, so exact repetition dominates.
      const padded = word.length + 2;
      for (let i = 0; i + this.ngram <= padded; i++) {
        let hash = FNV_OFFSET;
        for (let j = i; j < i + this.ngram; j++) {
          hash ^= j === 0 || j === padded - 1 ? SPACE : word.charCodeAt(j - 1);
          hash = Math.imul(hash, FNV_PRIME);
        }
        this.add(vector, hash >>> 0, 0.5);
      }
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
    }
    return vector;
  }

  private add(vector: Float32Array, hash: number, weight: number): void {
    const slot = hash % this.dimensions;
    // The top bit picks a sign so collisions cancel out on average instead of piling up.
    vector[slot] = (vector[slot] as number) + (hash & 0x80000000 ? -weight : weight);
  }
}
