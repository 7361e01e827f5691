import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkForEmbedding, normalizeConfig, useTokenizerSource } from '@chunkflow/chunkers';
import { byteLevelBpeTokenizer, CORPUS, wordPieceTokenizer } from '@chunkflow/chunkers/test-tokenizers';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPoolExecutor } from '../src/chunking/pool-executor.ts';
import { tokenizerFolder } from '../src/chunking/tokenizer-folder.ts';

const bert = wordPieceTokenizer(['chunk']);
const gpt = byteLevelBpeTokenizer();

describe('hf: tokenizers from the configured folder', () => {
  let dir: string;
  let settings: { dir: string; maxBytes: number };
  let executor: WorkerPoolExecutor;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chunkflow-tokenizers-'));
    for (const [name, json] of [
      ['mini-bert', bert],
      ['mini-gpt', gpt],
    ] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'tokenizer.json'), json);
    }
    mkdirSync(join(dir, 'empty-model'));
    settings = { dir, maxBytes: Math.max(Buffer.byteLength(bert), Buffer.byteLength(gpt)) };
    useTokenizerSource(tokenizerFolder(settings));
    executor = new WorkerPoolExecutor({ offloadThresholdChars: 0, maxThreads: 1, tokenizers: settings });
  });
  afterAll(async () => {
    useTokenizerSource(undefined);
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the folders that have a tokenizer.json, and reads nothing past the size cap', () => {
    const folder = tokenizerFolder(settings);
    expect(folder?.names()).toEqual(['mini-bert', 'mini-gpt']);
    expect(folder?.read('mini-bert')).toBe(bert);
    expect(folder?.read('empty-model')).toBeUndefined();
    expect(folder?.read('no-such-model')).toBeUndefined();
    const tight = tokenizerFolder({ dir, maxBytes: 1_000 });
    expect(() => tight?.read('mini-gpt')).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', details: { field: 'tokenizer' } }),
    );
    expect(tokenizerFolder({ dir: undefined, maxBytes: 1 })).toBeUndefined();
    expect(tokenizerFolder({ dir: join(dir, 'missing'), maxBytes: 1 })?.names()).toEqual([]);
  });

  it('chunks on the threads in the tokenizer’s exact tokens, as on the calling thread', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `# Part ${i}\n\n${CORPUS}`).join('\n\n');
    for (const [tokenizer, json] of [
      ['hf:mini-bert', bert],
      ['hf:mini-gpt', gpt],
    ] as const) {
      const reference = new Tokenizer(JSON.parse(json), {});
      const count = (value: string) =>
        value === '' ? 0 : reference.encode(value, { add_special_tokens: false }).ids.length;
      const config = normalizeConfig({ strategy: 'recursive', sizeUnit: 'tokens', tokenizer, chunkSize: 40 });
      const before = executor.stats.completed;
      const pooled = await executor.run(text, config, { title: 'Notes' });
      expect(executor.stats.completed).toBe(before + 1);
      expect(pooled.chunks).toEqual(await chunkForEmbedding(text, config, { title: 'Notes' }));
      for (const chunk of pooled.chunks) {
        expect(chunk.tokenCount).toBe(count(chunk.content));
        expect(chunk.tokenCount).toBeLessThanOrEqual(40);
        expect(chunk.embedTokenCount).toBe(count(chunk.embedText));
      }
    }
  });
});
