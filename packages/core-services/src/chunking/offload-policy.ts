import type { ChunkingConfig } from '@chunkflow/chunkers';

/**
 * Strategies whose cost per character is far above a plain cut (sentence windows and vectors,
 * parsers, structure scans, content analysis), and token sizing (a BPE encode of the text).
 */
const COSTLY_STRATEGIES = new Set(['semantic', 'code', 'hybrid', 'markdown']);

/** Below this, even a costly strategy finishes in well under a millisecond. */
export const TINY_INPUT_CHARS = 1_000;

/**
 * How many characters of work chunking `length` characters asks for: the input times the output
 * it amplifies into (a window of `chunkSize` every `chunkSize - chunkOverlap`, per hierarchy
 * level), so a 10 KB text cut 1000/999 counts as the 10 MB it produces, not as 10 KB.
 */
export function estimatedWorkChars(length: number, config: ChunkingConfig): number {
  const sizes = config.strategy === 'hierarchical' ? config.levels : [config.chunkSize];
  const amplification = sizes.reduce(
    (total, size) => total + size / Math.max(1, size - Math.min(config.chunkOverlap, size - 1)),
    0,
  );
  return length * Math.max(1, amplification);
}

/**
 * Whether chunking may run on the calling thread: only cheap strategies sized in chars whose
 * estimated work stays under `inlineWorkChars` (a few ms), or a tiny input whatever the config.
 */
export function mayRunInline(length: number, config: ChunkingConfig, inlineWorkChars: number): boolean {
  if (length < TINY_INPUT_CHARS) return true;
  if (COSTLY_STRATEGIES.has(config.strategy) || config.sizeUnit === 'tokens') return false;
  return estimatedWorkChars(length, config) < inlineWorkChars;
}
