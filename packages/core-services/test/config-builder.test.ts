import { describe, expect, it } from 'vitest';
import { configKeyOf } from '../src/chunking/config-key.ts';
import { ConfigBuilder } from '../src/index.ts';

const remote = (embedder: Record<string, unknown>) => ({ chunkSize: 500, chunkOverlap: 0, embedder });

describe('ConfigBuilder', () => {
  it('normalises aliases and fills defaults', () => {
    expect(new ConfigBuilder().build('character', { chunkSize: 300, chunkOverlap: 30 })).toMatchObject({
      strategy: 'fixed',
      chunkSize: 300,
      chunkOverlap: 30,
      sizeUnit: 'chars',
    });
  });

  it('refuses remote embedders the operator has not allowed (no requests to arbitrary hosts)', () => {
    const error = (() => {
      try {
        new ConfigBuilder().build(
          'semantic',
          remote({ provider: 'openai', baseUrl: 'http://169.254.169.254/v1', model: 'm' }),
        );
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', details: { field: 'embedder.baseUrl' } });
  });

  it('accepts an allowed embedder URL, with or without a trailing slash', () => {
    const builder = new ConfigBuilder({ allowedBaseUrls: ['https://embeddings.internal/v1/'] });
    const config = builder.build(
      'semantic',
      remote({ provider: 'openai', baseUrl: 'https://embeddings.internal/v1', model: 'm' }),
    );
    expect(config).toMatchObject({ strategy: 'semantic', embedder: { provider: 'openai', model: 'm' } });
  });

  it('never takes an API key into a config that may be cached or saved', () => {
    const builder = new ConfigBuilder({ allowedBaseUrls: ['https://embeddings.internal/v1'] });
    expect(() =>
      builder.build(
        'semantic',
        remote({
          provider: 'openai',
          baseUrl: 'https://embeddings.internal/v1',
          model: 'm',
          apiKey: 'sk-secret',
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', details: { field: 'embedder.apiKey' } }));
  });

  it('keeps the offline embedder available to everyone', () => {
    expect(new ConfigBuilder().build('semantic', remote({ provider: 'hashing' }))).toMatchObject({
      embedder: { provider: 'hashing' },
    });
  });
});

describe('ConfigBuilder embedder policy', () => {
  const builder = new ConfigBuilder({ allowedBaseUrls: ['https://embeddings.internal/v1'] });
  const openai = (settings: Record<string, unknown>) =>
    builder.build(
      'semantic',
      remote({ provider: 'openai', baseUrl: 'https://embeddings.internal/v1', model: 'm', ...settings }),
    );

  it('clamps what a client may make an embedder cost: retries, timeout, batch size', () => {
    expect(openai({ maxRetries: 10, timeoutMs: 600_000, batchSize: 1 })).toMatchObject({
      embedder: { maxRetries: 2, timeoutMs: 30_000, batchSize: 16 },
    });
    // Unset retries and timeout get the caps too (the embedder's own default retries 3 times).
    expect(openai({})).toMatchObject({ embedder: { maxRetries: 2, timeoutMs: 30_000 } });
    expect(openai({ maxRetries: 0, timeoutMs: 500, batchSize: 128 })).toMatchObject({
      embedder: { maxRetries: 0, timeoutMs: 500, batchSize: 128 },
    });
  });

  it('refuses hashing dimensions over the cap, which would change the chunks if clamped', () => {
    const wide = () => builder.build('semantic', remote({ provider: 'hashing', dimensions: 8192 }));
    expect(wide).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        details: expect.objectContaining({ field: 'embedder.dimensions' }),
      }),
    );
    expect(builder.build('semantic', remote({ provider: 'hashing', dimensions: 1024 }))).toMatchObject({
      embedder: { provider: 'hashing', dimensions: 1024 },
    });
  });
});

describe('ConfigBuilder keeps what it built', () => {
  it('hands out the same frozen config for the same input, and its own for another', () => {
    const builder = new ConfigBuilder();
    const first = builder.build('recursive', { chunkSize: 1000, chunkOverlap: 200 });
    expect(builder.build('recursive', { chunkSize: 1000, chunkOverlap: 200 })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { chunkSize: number }).chunkSize = 1;
    }).toThrow(TypeError);
    const other = builder.build('recursive', { chunkSize: 1000, chunkOverlap: 100 });
    expect(other).not.toBe(first);
    expect(other).toMatchObject({ chunkSize: 1000, chunkOverlap: 100 });
    expect(builder.build('fixed', { chunkSize: 1000, chunkOverlap: 200 })).toMatchObject({
      strategy: 'fixed',
    });
  });

  it('refuses an invalid config every time it is sent', () => {
    const builder = new ConfigBuilder();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(() => builder.build('recursive', { chunkSize: -5 })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
    }
  });

  it('builds inputs JSON cannot name exactly as they come', () => {
    const builder = new ConfigBuilder();
    const plain = builder.build('recursive', { chunkSize: 800 });
    expect(builder.build('recursive', { chunkSize: 800, chunkOverlap: undefined })).not.toBe(plain);
    expect(configKeyOf('recursive', { chunkSize: 800, chunkOverlap: undefined })).toBeUndefined();
    expect(configKeyOf('recursive', { chunkOverlap: -0 })).toBeUndefined();
    expect(configKeyOf('recursive', { chunkSize: Number.NaN })).toBeUndefined();
    expect(configKeyOf('recursive', { chunkSize: 10n })).toBeUndefined();
    expect(configKeyOf('recursive', { when: new Date(0) })).toBeUndefined();
    expect(configKeyOf('recursive', { separators: ['\n\n', '\n'], chunkSize: 800 })).toBe(
      'recursive\0{"separators":["\\n\\n","\\n"],"chunkSize":800}',
    );
  });
});
