import { ApplicationError } from '@chunkflow/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Chunk,
  chunk,
  chunkAsync,
  chunkStream,
  MAX_CHUNKS_PER_DOCUMENT,
  MAX_OVERLAP_AMPLIFICATION,
  normalizeConfig,
  type StrategyName,
} from '../src/index.ts';
import { documentArbitrary } from './support/invariants.ts';

const prose = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor. ';
const document = prose.repeat(Math.ceil(200_000 / prose.length)).slice(0, 200_000);

function refusal(run: () => unknown): ApplicationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApplicationError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

function levelsOf(config: unknown): number {
  const normalized = normalizeConfig(config);
  return normalized.strategy === 'hierarchical' ? normalized.levels.length : 1;
}

function totalChars(chunks: Chunk[]): number {
  return chunks.reduce((sum, item) => sum + item.charCount, 0);
}

describe('output budget', () => {
  it('refuses an overlap that would repeat the document a thousand times, naming chunkOverlap', () => {
    const error = refusal(() => chunk(document, { strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.details).toMatchObject({ field: 'chunkOverlap', limit: MAX_OVERLAP_AMPLIFICATION });
    expect(error.message).toMatch(/smaller chunkOverlap/);
  });

  it('still runs a 90% sliding window', () => {
    const chunks = chunk(document, { strategy: 'fixed', chunkSize: 1000, chunkOverlap: 900 });
    expect(chunks.length).toBeGreaterThan(1900);
    expect(totalChars(chunks)).toBeLessThanOrEqual(MAX_OVERLAP_AMPLIFICATION * document.length);
  });

  it('refuses more than the chunk limit, naming chunkSize', () => {
    const text = 'abcd'.repeat(MAX_CHUNKS_PER_DOCUMENT + 1);
    const error = refusal(() => chunk(text, { strategy: 'fixed', chunkSize: 4, chunkOverlap: 0 }));
    expect(error.details).toMatchObject({ field: 'chunkSize', limit: MAX_CHUNKS_PER_DOCUMENT });
    expect(chunk(text.slice(4), { strategy: 'fixed', chunkSize: 4, chunkOverlap: 0 })).toHaveLength(
      MAX_CHUNKS_PER_DOCUMENT,
    );
  });

  it('allows each hierarchy level its own share', () => {
    const config = { strategy: 'hierarchical', levels: [2000, 1000, 500, 100], chunkOverlap: 80 };
    const chunks = chunk(document, config);
    expect(totalChars(chunks)).toBeGreaterThan(4 * document.length);
  });

  it('refuses in chunkAsync and chunkStream as in chunk', async () => {
    const config = { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 999 };
    await expect(chunkAsync(document, config)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const stream = chunkStream([document.slice(0, 100_000), document.slice(100_000)], config);
    await expect(stream.next()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('either keeps within both bounds or refuses with INVALID_CONFIG (property)', () => {
    const configs = fc.record({
      strategy: fc.constantFrom<StrategyName>('fixed', 'recursive', 'sentence', 'markdown', 'hierarchical'),
      chunkSize: fc.integer({ min: 4, max: 60 }),
      overlapFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
      sizeUnit: fc.constantFrom('chars', 'tokens'),
    });
    fc.assert(
      fc.property(documentArbitrary, configs, (text, { overlapFraction, ...rest }) => {
        const config = { ...rest, chunkOverlap: Math.floor(rest.chunkSize * overlapFraction) };
        if (config.strategy === 'hierarchical')
          Object.assign(config, { levels: [config.chunkSize * 4, config.chunkSize] });
        try {
          const chunks = chunk(text, config);
          expect(chunks.length).toBeLessThanOrEqual(MAX_CHUNKS_PER_DOCUMENT);
          expect(totalChars(chunks)).toBeLessThanOrEqual(
            MAX_OVERLAP_AMPLIFICATION * levelsOf(config) * text.length,
          );
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
          expect(['chunkSize', 'chunkOverlap']).toContain((error as ApplicationError).details?.field);
        }
      }),
      { numRuns: 300 },
    );
  });
});
