import { ApplicationError } from '@chunkflow/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRange } from '../src/engine/pack.ts';
import {
  CHUNK_OVERHEAD_CHARS,
  type Chunk,
  chunk,
  chunkAsync,
  chunkStream,
  createSizer,
  estimateOutputChars,
  MAX_OUTPUT_FACTOR,
  normalizeConfig,
  OUTPUT_ALLOWANCE_CHARS,
  outputLimitChars,
  type SpanMeter,
  type StrategyName,
} from '../src/index.ts';
import { OutputBudget } from '../src/output-budget.ts';
import { documentArbitrary } from './support/invariants.ts';

const prose = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor. ';

function proseOf(length: number): string {
  return prose.repeat(Math.ceil(length / prose.length)).slice(0, length);
}

/** Past the allowance, so the factor is what decides. */
const document = proseOf(2_000_000);

function refusal(run: () => unknown): ApplicationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApplicationError) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** What the budget counts: every chunk's text plus its overhead. */
function cost(chunks: Chunk[]): number {
  return chunks.reduce((sum, item) => sum + item.charCount + CHUNK_OVERHEAD_CHARS, 0);
}

function levelsOf(config: unknown): number {
  const normalized = normalizeConfig(config);
  return normalized.strategy === 'hierarchical' ? normalized.levels.length : 1;
}

function allowed(text: string, config: unknown): number {
  return Math.max(OUTPUT_ALLOWANCE_CHARS, MAX_OUTPUT_FACTOR * levelsOf(config) * text.length);
}

/** A sample short enough that only a cost over 25 times its length (far past the factor) is refused. */
const SAMPLE_CHARS = 40_000;

/** What chunking `text` costs per character; Infinity when even that is refused. */
function costPerChar(text: string, config: unknown): number {
  try {
    return cost(chunk(text, config)) / text.length;
  } catch (error) {
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', details: { limit: MAX_OUTPUT_FACTOR } });
    return Number.POSITIVE_INFINITY;
  }
}

/** The refusal `run` ends with, or undefined when it runs through. */
function refusalOf(run: () => unknown): ApplicationError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ApplicationError) return error;
    throw error;
  }
}

describe('output budget', () => {
  it('refuses an overlap that would repeat the document a thousand times, naming chunkOverlap', () => {
    const error = refusal(() => chunk(document, { strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.details).toMatchObject({ field: 'chunkOverlap', limit: MAX_OUTPUT_FACTOR });
    expect(error.message).toMatch(/smaller chunkOverlap/);
  });

  it('refuses a crowd of tiny chunks of a long text, naming chunkSize', () => {
    const error = refusal(() => chunk(document, { strategy: 'fixed', chunkSize: 4, chunkOverlap: 0 }));
    expect(error.details).toMatchObject({ field: 'chunkSize', limit: MAX_OUTPUT_FACTOR });
    expect(error.message).toMatch(/larger chunkSize/);
  });

  it('still runs a 90% sliding window and 10-character chunks of a long text', () => {
    for (const config of [
      { strategy: 'fixed', chunkSize: 1000, chunkOverlap: 900 },
      { strategy: 'fixed', chunkSize: 10, chunkOverlap: 0 },
    ]) {
      const chunks = chunk(document, config);
      expect(cost(chunks)).toBeGreaterThan(OUTPUT_ALLOWANCE_CHARS);
      expect(cost(chunks)).toBeLessThanOrEqual(allowed(document, config));
    }
  });

  it('cuts small texts as finely as asked, within the allowance', () => {
    const text = proseOf(5_000);
    expect(chunk(text, { strategy: 'fixed', chunkSize: 4, chunkOverlap: 3 })).toHaveLength(text.length - 3);
  });

  it('allows each hierarchy level its own share', () => {
    const config = { strategy: 'hierarchical', levels: [1000, 100, 40, 10], chunkOverlap: 0 };
    const chunks = chunk(document, config);
    expect(cost(chunks)).toBeGreaterThan(MAX_OUTPUT_FACTOR * document.length);
    expect(cost(chunks)).toBeLessThanOrEqual(allowed(document, config));
  });

  it('refuses in chunkAsync and chunkStream as in chunk', async () => {
    const config = { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 999 };
    await expect(chunkAsync(document, config)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const stream = chunkStream([document.slice(0, 1_000_000), document.slice(1_000_000)], config);
    await expect(stream.next()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('keeps within the budget, and refuses with INVALID_CONFIG only what would not fit (property)', () => {
    const configs = fc.record({
      // The strategies that can repeat text or cut it finest, in chars (BPE over a long word is
      // quadratic, and these texts repeat words into lines of up to 1.2M chars); each strategy's
      // own property test covers small documents in both units.
      strategy: fc.constantFrom<StrategyName>('fixed', 'recursive', 'hierarchical'),
      chunkSize: fc.integer({ min: 4, max: 60 }),
      overlapFraction: fc.double({ min: 0, max: 0.999, noNaN: true }),
    });
    // Past the allowance's reach (it covers texts up to allowance ÷ factor), so the factor decides.
    const factorBound = Math.ceil(OUTPUT_ALLOWANCE_CHARS / MAX_OUTPUT_FACTOR);
    const texts = fc
      .tuple(
        documentArbitrary.filter((text) => text.length > 0),
        fc.integer({ min: 0, max: 200_000 }),
      )
      .map(([text, extra]) => text.repeat(Math.ceil((factorBound + extra) / text.length)));
    fc.assert(
      fc.property(texts, configs, (text, { overlapFraction, ...rest }) => {
        // A hierarchy's chunkSize is its top level.
        const config = {
          ...rest,
          chunkOverlap: Math.floor(rest.chunkSize * overlapFraction),
          ...(rest.strategy === 'hierarchical' && {
            chunkSize: rest.chunkSize * 4,
            levels: [rest.chunkSize * 4, rest.chunkSize],
          }),
        };
        const refused = refusalOf(() => cost(chunk(text, config)));
        // The text repeats one document, so what a prefix within the allowance costs per character
        // is what the whole would: refusing must agree with it, give or take the edges.
        const ratio = costPerChar(text.slice(0, SAMPLE_CHARS), config) / levelsOf(config);
        if (refused) {
          // Refused by the budget (which names its factor), not by the config's own rules.
          expect(refused).toMatchObject({ code: 'INVALID_CONFIG', details: { limit: MAX_OUTPUT_FACTOR } });
          expect(['chunkSize', 'chunkOverlap']).toContain(refused.details?.field);
          expect(ratio, 'refused although its chunks fit the budget').toBeGreaterThan(
            0.8 * MAX_OUTPUT_FACTOR,
          );
        } else {
          expect(cost(chunk(text, config))).toBeLessThanOrEqual(allowed(text, config));
          expect(ratio, 'accepted although its chunks do not fit').toBeLessThan(1.25 * MAX_OUTPUT_FACTOR);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('output budget, while the spans are made', () => {
  it('refuses at the span that passes the limit, before the strategy makes the next', () => {
    const counted: number[] = [];
    const budget = new OutputBudget(1);
    const meter = budget.meter(1000);
    const counting: SpanMeter = {
      count(start, end) {
        counted.push(start);
        meter.count(start, end);
      },
    };
    // 10,000-character spans cost 10,100 each: the 100th passes the 1,000,000 allowance.
    const text = 'x'.repeat(10_000_000);
    const sizer = createSizer(text, { sizeUnit: 'chars', tokenizer: 'cl100k_base' });
    expect(() =>
      packRange(text, sizer, 0, text.length, {
        chunkSize: 10_000,
        chunkOverlap: 0,
        levels: [],
        overlapLevels: 0,
        trim: false,
        meter: counting,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(counted).toHaveLength(100);
  });

  it('throws the reason of an aborted signal, every few hundred spans and between segments', async () => {
    const controller = new AbortController();
    const meter = new OutputBudget(1).meter(10_000_000, controller.signal);
    const reason = new Error('client went away');
    controller.abort(reason);
    expect(() => {
      for (let i = 0; i < 1000; i++) meter.count(0, 1);
    }).toThrow(reason);
    const { signal } = controller;
    expect(() => chunk(document, { strategy: 'recursive' }, { signal })).toThrow(reason);
    await expect(chunkAsync(document, { strategy: 'recursive' }, { signal })).rejects.toBe(reason);
  });
});

describe('estimateOutputChars', () => {
  it('estimates without reading the text, like the budget counts', () => {
    // 1 MB of 1000/200 windows: 1,249 chunks of 1000 characters plus their overhead.
    expect(
      estimateOutputChars(
        1_000_000,
        normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 200 }),
      ),
    ).toBe(1250 * (1000 + CHUNK_OVERHEAD_CHARS));
    expect(estimateOutputChars(0, normalizeConfig({ strategy: 'recursive' }))).toBe(0);
    expect(
      estimateOutputChars(500, normalizeConfig({ strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 })),
    ).toBe(500 + CHUNK_OVERHEAD_CHARS);
  });

  it('tells a request that amplifies its text from one that does not', () => {
    const sliding = { strategy: 'fixed', chunkSize: 1000, chunkOverlap: 999 };
    expect(estimateOutputChars(10_000, normalizeConfig(sliding))).toBeGreaterThan(outputLimitChars(10_000));
    const hierarchy = { strategy: 'hierarchical', levels: [1000, 250] };
    const estimate = estimateOutputChars(2_000_000, normalizeConfig(hierarchy));
    expect(estimate).toBeGreaterThan(2 * 2_000_000);
    expect(estimate).toBeLessThan(outputLimitChars(2_000_000, 2));
    expect(
      estimateOutputChars(
        100_000,
        normalizeConfig({ strategy: 'recursive', sizeUnit: 'tokens', chunkSize: 256 }),
      ),
    ).toBe(
      // 256 tokens ≈ 1024 characters, advancing 205 tokens ≈ 820 characters.
      (1 + Math.ceil((100_000 - 1024) / 820)) * (1024 + CHUNK_OVERHEAD_CHARS),
    );
  });
});
