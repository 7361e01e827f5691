import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunk,
  chunkForEmbedding,
  countTokens,
  hfTokenizerNames,
  normalizeConfig,
  type StrategyName,
  useTokenizerSource,
} from '../src/index.ts';
import { byteLevelBpeTokenizer, CORPUS, wordPieceTokenizer } from './support/hf-fixtures.ts';
import {
  assertChunkInvariants,
  referenceTokenCount,
  registerReferenceTokenizer,
} from './support/invariants.ts';

const files: Record<string, string> = {
  'mini-bert': wordPieceTokenizer(['chunk']),
  'mini-gpt': byteLevelBpeTokenizer(),
  broken: '{"model": {"type": "NoSuchModel"}}',
};

beforeAll(() => {
  useTokenizerSource({ read: (name) => files[name], names: () => Object.keys(files) });
  registerReferenceTokenizer('mini-bert', files['mini-bert'] as string);
  registerReferenceTokenizer('mini-gpt', files['mini-gpt'] as string);
});
afterAll(() => useTokenizerSource(undefined));

/** Documents from the corpus's words, unknown words, markdown structure, blanks and emoji. */
const documents = fc
  .array(
    fc.constantFrom(
      ...CORPUS.split(' '),
      'zebra',
      'UNAFFABLE',
      '# Heading\n',
      '## Tables\n',
      '| a | b |\n|---|---|\n| 1 | 2 |\n',
      '\n\n',
      '  ',
      '😀',
      'é',
      '中文',
    ),
    { minLength: 1, maxLength: 150 },
  )
  .map((words) => words.join(' '));

describe('hf: tokenizers (Hugging Face tokenizer.json)', () => {
  it('counts exactly what the vocabulary gives, without the special tokens framing a model input', () => {
    // Corpus words are whole entries; "unaffable" is not, so it falls to the longest pieces the
    // vocabulary has: u ##n ##a ##f ##f ##able. Lowercasing is the tokenizer's own.
    expect(countTokens('Chunking splits documents', 'hf:mini-bert')).toBe(3);
    expect(countTokens('UNAFFABLE', 'hf:mini-bert')).toBe(6);
    expect(countTokens('chunked', 'hf:mini-bert')).toBe(2);
    // Byte-level BPE: " chunk" occurs often enough in the corpus to be merged whole; letters it
    // never saw stay single bytes ("zyxw" and the space before it).
    expect(countTokens(' chunk', 'hf:mini-gpt')).toBe(1);
    expect(countTokens(' zyxw', 'hf:mini-gpt')).toBe(5);
    // Four bytes of an emoji, each its own token.
    expect(countTokens('😀', 'hf:mini-gpt')).toBe(4);
  });

  it('refuses names it does not hold and files it cannot read with INVALID_CONFIG on tokenizer', () => {
    for (const tokenizer of ['hf:missing', 'hf:broken', 'hf:../etc', 'hf:a/b', 'hf:']) {
      expect(() => normalizeConfig({ strategy: 'recursive', sizeUnit: 'tokens', tokenizer })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', details: { field: 'tokenizer' } }),
      );
    }
    useTokenizerSource(undefined);
    try {
      expect(() => normalizeConfig({ strategy: 'fixed', tokenizer: 'hf:mini-bert' })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
    } finally {
      useTokenizerSource({ read: (name) => files[name], names: () => Object.keys(files) });
    }
  });

  it('lists the names its source holds', () => {
    expect(hfTokenizerNames()).toEqual(['hf:mini-bert', 'hf:mini-gpt', 'hf:broken']);
  });

  const strategies: StrategyName[] = ['fixed', 'recursive', 'markdown', 'sentence', 'hierarchical', 'hybrid'];
  for (const strategy of strategies) {
    it(`sizes ${strategy} chunks in the tokenizer's tokens: exact offsets, counts and limits`, () => {
      fc.assert(
        fc.property(
          documents,
          fc.constantFrom('hf:mini-bert', 'hf:mini-gpt'),
          fc.integer({ min: 8, max: 60 }),
          fc.boolean(),
          (text, tokenizer, chunkSize, overlap) => {
            const config = normalizeConfig({
              strategy,
              sizeUnit: 'tokens',
              tokenizer,
              chunkOverlap: overlap ? Math.floor(chunkSize / 4) : 0,
              ...(strategy === 'hierarchical'
                ? { chunkSize: chunkSize * 2, levels: [chunkSize * 2, chunkSize] }
                : { chunkSize }),
            });
            assertChunkInvariants(text, config, chunk(text, config));
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('counts embedText in the same tokens, and can bound embedText by the size', async () => {
    const text = `# Guide\n\n${CORPUS}\n\n## Next\n\n${CORPUS}`;
    const config = normalizeConfig({
      strategy: 'markdown',
      sizeUnit: 'tokens',
      tokenizer: 'hf:mini-bert',
      chunkSize: 24,
      chunkOverlap: 0,
      embedSizeLimit: 'embedText',
    });
    const chunks = await chunkForEmbedding(text, config, { title: 'Handbook' });
    expect(chunks.length).toBeGreaterThan(2);
    for (const item of chunks) {
      expect(item.embedTokenCount).toBe(referenceTokenCount(item.embedText, 'hf:mini-bert'));
      expect(item.embedTokenCount).toBeLessThanOrEqual(24);
    }
  });
});
