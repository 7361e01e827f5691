import { InvalidConfigError } from '@chunkflow/errors';
import { describe, expect, it } from 'vitest';
import {
  chunk,
  chunkAsync,
  chunkNormalizedAsync,
  listStrategies,
  normalizeConfig,
  strategyNames,
} from '../src/index.ts';

function fieldOf(config: unknown): unknown {
  try {
    normalizeConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return (error as InvalidConfigError).details?.field;
  }
  throw new Error('expected an InvalidConfigError');
}

describe('normalizeConfig', () => {
  it('fills defaults: 1000/200 chars, cl100k_base', () => {
    expect(normalizeConfig({ strategy: 'fixed' })).toEqual({
      strategy: 'fixed',
      chunkSize: 1000,
      chunkOverlap: 200,
      sizeUnit: 'chars',
      tokenizer: 'cl100k_base',
      minChunkSize: 0,
      embedTemplate: 'title-headings',
      embedSizeLimit: 'content',
    });
  });

  it.each([
    ['fixed_size', 'fixed'],
    ['character', 'fixed'],
    ['sliding_window', 'fixed'],
    ['document_structure', 'markdown'],
  ])('normalises the alias %s to %s', (alias, name) => {
    expect(normalizeConfig({ strategy: alias }).strategy).toBe(name);
  });

  it.each([
    [{ strategy: 'nope' }, 'strategy'],
    [{}, 'strategy'],
    [{ strategy: 'fixed', chunkSize: 100, chunkOverlap: 100 }, 'chunkOverlap'],
    [{ strategy: 'fixed', chunkSize: 100, chunkOverlap: 150 }, 'chunkOverlap'],
    [{ strategy: 'fixed', chunkSize: 2 }, 'chunkSize'],
    [{ strategy: 'fixed', chunkSize: 10_000_000 }, 'chunkSize'],
    [{ strategy: 'fixed', chunkSize: 10.5 }, 'chunkSize'],
    [{ strategy: 'fixed', chunkOverlap: -1 }, 'chunkOverlap'],
    [{ strategy: 'fixed', sizeUnit: 'bytes' }, 'sizeUnit'],
    [{ strategy: 'fixed', tokenizer: 'p50k_base' }, 'tokenizer'],
    [{ strategy: 'fixed', colour: 'red' }, 'colour'],
    [{ strategy: 'fixed', separators: ['\n'] }, 'separators'],
    [{ strategy: 'recursive', headingLevels: [1] }, 'headingLevels'],
    [{ strategy: 'markdown', headingLevels: [7] }, 'headingLevels.0'],
    [{ strategy: 'hierarchical', levels: [512, 2048] }, 'levels'],
    [{ strategy: 'hierarchical', levels: [2048, 512], chunkSize: 1000 }, 'chunkSize'],
    [{ strategy: 'hierarchical', levels: [2048, 100], chunkOverlap: 100 }, 'chunkOverlap'],
    [{ strategy: 'semantic', similarityThreshold: 2 }, 'similarityThreshold'],
  ])('rejects %j naming %s', (config, field) => {
    expect(fieldOf(config)).toBe(field);
  });

  it('keeps strategy-specific keys and defaults them', () => {
    expect(normalizeConfig({ strategy: 'recursive', separators: ['\n', ''] })).toMatchObject({
      separators: ['\n', ''],
    });
    expect(normalizeConfig({ strategy: 'markdown', headingLevels: [2, 1, 2] })).toMatchObject({
      headingLevels: [1, 2],
    });
    expect(normalizeConfig({ strategy: 'hierarchical', levels: [2048, 512] })).toMatchObject({
      chunkSize: 2048,
      levels: [2048, 512],
    });
    expect(normalizeConfig({ strategy: 'fixed', sizeUnit: 'tokens' })).toMatchObject({
      chunkSize: 256,
      chunkOverlap: 51,
    });
  });

  it('is idempotent: a normalised config normalises to itself', () => {
    for (const { defaultConfig } of listStrategies()) {
      expect(normalizeConfig(defaultConfig)).toEqual(defaultConfig);
    }
  });
});

describe('listStrategies', () => {
  it('describes all eight strategies', () => {
    const catalog = listStrategies();
    expect(catalog.map((entry) => entry.name)).toEqual([...strategyNames]);
    for (const entry of catalog) {
      expect(entry.description.length).toBeGreaterThan(20);
      expect(entry.bestFor.length).toBeGreaterThan(0);
      expect(entry.defaultConfig.strategy).toBe(entry.name);
    }
  });
});

describe('chunk', () => {
  it('validates before chunking', () => {
    expect(() => chunk('text', { strategy: 'fixed', chunkSize: 1 })).toThrow(InvalidConfigError);
  });
});

describe('chunkNormalizedAsync', () => {
  const text = '# Notes\n\nA first sentence. A second one follows.\n\n```js\nlet a = 1;\n```\n'.repeat(40);

  it('chunks a normalised config sent across threads (a structured clone) as chunkAsync does', async () => {
    for (const { name } of listStrategies()) {
      const input = { strategy: name, chunkSize: 120, chunkOverlap: 10 };
      const sent = structuredClone(normalizeConfig(input));
      const expected = JSON.stringify(await chunkAsync(text, input));
      expect(JSON.stringify(await chunkNormalizedAsync(text, sent)), name).toBe(expected);
    }
  });
});
