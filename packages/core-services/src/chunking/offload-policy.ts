import { type ChunkingConfig, estimateOutputChars } from '@chunkflow/chunkers';

/**
 * Strategies whose cost per character is far above a plain cut (sentence windows and vectors,
 * parsers, structure scans, content analysis), and token sizing (a BPE encode of the text).
 */
const COSTLY_STRATEGIES = new Set(['semantic', 'code', 'hybrid', 'markdown']);

/** Below this, even a costly strategy finishes in well under a millisecond. */
const TINY_INPUT_CHARS = 1_000;

/**
 * Whether chunking may run on the calling thread: only cheap strategies sized in chars whose
 * estimated output (the engine's `estimateOutputChars`: a 10 KB text cut 1000/999 counts as the
 * 10 MB it produces) stays under `inlineWorkChars` (a few ms), or a tiny input whatever the config.
 */
export function mayRunInline(length: number, config: ChunkingConfig, inlineWorkChars: number): boolean {
  if (length < TINY_INPUT_CHARS) return true;
  if (COSTLY_STRATEGIES.has(config.strategy) || config.sizeUnit === 'tokens') return false;
  return estimateOutputChars(length, config) < inlineWorkChars;
}
