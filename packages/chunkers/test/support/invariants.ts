/**
 * The invariants every strategy must keep, as a reusable property test:
 * `checkStrategyInvariants('recursive')` runs fast-check over random and adversarial text.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import fc from 'fast-check';
import cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import o200k from 'gpt-tokenizer/encoding/o200k_base';
import { expect } from 'vitest';
import {
  type Chunk,
  type ChunkingConfig,
  chunk,
  MAX_SEGMENT_CHARS,
  normalizeConfig,
  SEGMENT_CHARS,
  type StrategyName,
} from '../../src/index.ts';

const plainText = { disallowedSpecial: new Set<string>() };
const referenceCounters = {
  cl100k_base: (text: string) => cl100k.countTokens(text, plainText),
  o200k_base: (text: string) => o200k.countTokens(text, plainText),
};

const referenceHfTokenizers = new Map<string, Tokenizer>();

/** Makes `hf:<name>` countable by the reference: a library instance of its own, apart from the engine's. */
export function registerReferenceTokenizer(name: string, tokenizerJson: string): void {
  referenceHfTokenizers.set(`hf:${name}`, new Tokenizer(JSON.parse(tokenizerJson) as object, {}));
}

/** Token count straight from gpt-tokenizer or @huggingface/tokenizers, independent of the engine's sizers. */
export function referenceTokenCount(text: string, tokenizer: ChunkingConfig['tokenizer']): number {
  if (tokenizer === 'cl100k_base' || tokenizer === 'o200k_base') return referenceCounters[tokenizer](text);
  const reference = referenceHfTokenizers.get(tokenizer);
  if (!reference) throw new Error(`no reference tokenizer registered for ${tokenizer}`);
  return text === '' ? 0 : reference.encode(text, { add_special_tokens: false }).ids.length;
}

function sizeIn(config: ChunkingConfig, text: string): number {
  return config.sizeUnit === 'tokens' ? referenceTokenCount(text, config.tokenizer) : text.length;
}

function isSurrogateSplit(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

function levelOf(item: Chunk): number {
  return typeof item.metadata.level === 'number' ? item.metadata.level : 0;
}

function sizeLimitOf(config: ChunkingConfig, level: number): number {
  return config.strategy === 'hierarchical' ? (config.levels[level] ?? config.chunkSize) : config.chunkSize;
}

function push<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
  const group = groups.get(key);
  if (group) group.push(value);
  else groups.set(key, [value]);
}

/**
 * Asserts the contract on one result. Each `metadata.level` (0 when absent) must cover every
 * non-whitespace character; siblings (same level and `metadata.parentIndex`) must be in order and
 * overlap their predecessor by at most `chunkOverlap`.
 */
export function assertChunkInvariants(text: string, config: ChunkingConfig, chunks: readonly Chunk[]): void {
  const levels = new Map<number, Chunk[]>();
  const siblings = new Map<string, Chunk[]>();
  chunks.forEach((item, index) => {
    const where = `chunk ${index} [${item.startOffset}, ${item.endOffset})`;
    expect(item.index, `${where}: index`).toBe(index);
    expect(item.startOffset, `${where}: start`).toBeGreaterThanOrEqual(0);
    expect(item.endOffset, `${where}: non-empty`).toBeGreaterThan(item.startOffset);
    expect(item.endOffset, `${where}: end`).toBeLessThanOrEqual(text.length);
    expect(text.slice(item.startOffset, item.endOffset), `${where}: slice equals content`).toBe(item.content);
    expect(item.charCount, `${where}: charCount`).toBe(item.content.length);
    expect(isSurrogateSplit(text, item.startOffset), `${where}: start splits a surrogate pair`).toBe(false);
    expect(isSurrogateSplit(text, item.endOffset), `${where}: end splits a surrogate pair`).toBe(false);
    const tokens = referenceTokenCount(item.content, config.tokenizer);
    expect(item.tokenCount, `${where}: tokenCount`).toBe(tokens);
    const level = levelOf(item);
    expect(sizeIn(config, item.content), `${where}: size`).toBeLessThanOrEqual(sizeLimitOf(config, level));
    push(levels, level, item);
    push(siblings, `${level}/${String(item.metadata.parentIndex)}`, item);
  });

  for (const [key, group] of siblings) {
    group.forEach((item, i) => {
      const previous = group[i - 1];
      if (previous === undefined) return;
      const where = `siblings ${key}, chunks ${previous.index} → ${item.index}`;
      expect(item.startOffset, `${where}: in order`).toBeGreaterThan(previous.startOffset);
      expect(item.endOffset, `${where}: in order`).toBeGreaterThanOrEqual(previous.endOffset);
      if (item.startOffset < previous.endOffset) {
        const overlap = sizeIn(config, text.slice(item.startOffset, previous.endOffset));
        expect(overlap, `${where}: overlap`).toBeLessThanOrEqual(config.chunkOverlap);
      }
    });
  }

  for (const [level, group] of levels) {
    const covered = new Uint8Array(text.length);
    for (const item of group) covered.fill(1, item.startOffset, item.endOffset);
    for (let i = 0; i < text.length; i++) {
      if (covered[i] === 0 && /\S/u.test(text[i] as string)) {
        expect.fail(
          `level ${level}: non-whitespace character at ${i} (${JSON.stringify(text[i])}) is in no chunk`,
        );
      }
    }
  }
}

const fragments = [
  'word',
  'The quick brown fox. ',
  'Ünïcödé ',
  'Ελληνικά κείμενα. ',
  'Русский текст! ',
  '中文句子。',
  '日本語の文です。',
  '한국어 ',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🎉',
  'e\u0301',
  '\r\n',
  '\n',
  '\n\n',
  '\t',
  '  ',
  ' ',
  '. ',
  '? ',
  '1234567',
  '# Heading\n',
  '## Sub heading\n',
  '```\ncode()\n```\n',
  '| a | b |\n|---|---|\n| 1 | 2 |\n',
  '- item\n',
  '1. first\n',
  '<|endoftext|>',
  '\u00a0',
  '\u2028',
  "don't ",
  '...',
  '——',
  '")\n',
  '(x)\n',
  '  }\n',
  '\n    ',
  'foo.bar(',
  ' === ',
];

/** Random and adversarial documents: emoji, CJK, CRLF, no whitespace, one huge line, empty, only whitespace. */
export const documentArbitrary: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.constantFrom(...fragments), { maxLength: 120 }).map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 400 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom('a', 'b', 'é', '中', '😀'),
      minLength: 200,
      maxLength: 1500,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r\n', '\u3000'), maxLength: 300 }),
  },
  { weight: 1, arbitrary: fc.constant('') },
);

const repeatTo = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/**
 * Documents a little over one segment long, cut where `chunk()` cuts segments: repetitive text up
 * to just before SEGMENT_CHARS, a random document where the cut is decided, then a tail that
 * decides it when the random part cannot (paragraphs, lines, spaces only, or no separator at all,
 * down to the hard limit inside emoji). Cheap to make, costly to chunk: few runs.
 */
export const segmentBoundaryDocumentArbitrary: fc.Arbitrary<string> = fc
  .record({
    before: fc.nat(1500),
    middle: documentArbitrary,
    tail: fc.constantFrom('Next paragraph.\n\n', 'a line\n', 'spaced words ', 'x', '😀', '```\nfenced\n'),
  })
  .map(({ before, middle, tail }) => {
    const lead = repeatTo('The first segment is filled with this sentence.\n', SEGMENT_CHARS - before);
    return lead + middle + repeatTo(tail, MAX_SEGMENT_CHARS + 2_000 - lead.length - middle.length);
  });

/** Common options with a size in [minSize, maxSize] and an overlap up to that fraction of it. */
function sizeOptionsArbitrary(minSize: number, maxSize: number, maxOverlapFraction: number) {
  return fc
    .record({
      chunkSize: fc.integer({ min: minSize, max: maxSize }),
      overlapFraction: fc.double({ min: 0, max: maxOverlapFraction, noNaN: true }),
      sizeUnit: fc.constantFrom('chars', 'tokens'),
      tokenizer: fc.constantFrom('cl100k_base', 'o200k_base'),
    })
    .map(({ chunkSize, overlapFraction, sizeUnit, tokenizer }) => ({
      chunkSize,
      chunkOverlap: Math.floor(chunkSize * overlapFraction),
      sizeUnit,
      tokenizer,
    }));
}

/** Sizes that keep a boundary document to a few thousand chunks. */
const boundaryOptionsArbitrary = sizeOptionsArbitrary(300, 2_000, 0.5);

/** Sizes small enough that even short documents make many chunks. */
export const commonOptionsArbitrary = sizeOptionsArbitrary(4, 120, 0.9);

export interface StrategyPropertyOptions {
  /** Strategy-specific keys to add to the common options (they win over common keys). */
  extra?: fc.Arbitrary<Record<string, unknown>>;
  documents?: fc.Arbitrary<string>;
  numRuns?: number;
}

/** `CHUNKERS_PROPERTY_RUNS=5000 pnpm exec vitest run` searches deeper than the default. */
const deepRuns = Number(process.env.CHUNKERS_PROPERTY_RUNS) || undefined;

/** Property: every invariant holds and the output is deterministic, for `strategy` on any document. */
export function checkStrategyInvariants(strategy: StrategyName, options: StrategyPropertyOptions = {}): void {
  const configs = fc
    .tuple(commonOptionsArbitrary, options.extra ?? fc.constant({}))
    .map(([common, extra]) => ({ strategy, ...common, ...extra }));
  const holdsInvariants = (text: string, input: Record<string, unknown>) => {
    const config = normalizeConfig(input);
    // Normalised configs run as they are (`chunkNormalizedAsync`): normalising again changes nothing.
    expect(JSON.stringify(normalizeConfig(config))).toBe(JSON.stringify(config));
    const chunks = chunk(text, input);
    assertChunkInvariants(text, config, chunks);
    expect(JSON.parse(JSON.stringify(chunk(text, input)))).toEqual(JSON.parse(JSON.stringify(chunks)));
  };
  fc.assert(fc.property(options.documents ?? documentArbitrary, configs, holdsInvariants), {
    numRuns: deepRuns ?? options.numRuns ?? 150,
  });
}

/** Property: every invariant holds for `strategy` on documents that cross a segment boundary. */
export function checkStrategyInvariantsAcrossSegments(
  strategy: StrategyName,
  options: Pick<StrategyPropertyOptions, 'extra' | 'numRuns'> = {},
): void {
  const configs = fc
    .tuple(boundaryOptionsArbitrary, options.extra ?? fc.constant({}))
    .map(([common, extra]) => ({ strategy, ...common, ...extra }));
  fc.assert(
    fc.property(segmentBoundaryDocumentArbitrary, configs, (text, input) => {
      const chunks = chunk(text, input);
      assertChunkInvariants(text, normalizeConfig(input), chunks);
      expect(chunks.at(-1)?.endOffset, 'the document crosses a segment boundary').toBeGreaterThan(
        MAX_SEGMENT_CHARS,
      );
    }),
    // Shrinking a megabyte document takes longer than it helps: the failing seed is printed.
    { numRuns: deepRuns ? Math.ceil(deepRuns / 50) : (options.numRuns ?? 5), endOnFailure: true },
  );
}
