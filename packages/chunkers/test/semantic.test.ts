import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidConfigError } from '@chunkflow/errors';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chunk, chunk, chunkAsync, type Embedder } from '../src/index.ts';
import { checkStrategyInvariants } from './support/invariants.ts';

const cats =
  'Cats sleep most of the day. A cat purrs when the cat is calm. Cats groom their fur and chase mice at night. The cat likes a warm sunny spot.';
const markets =
  'The stock market fell sharply today. Investors sold shares as the market panicked. Market analysts expect stock prices to recover. Shares of banks fell the most.';
const text = `${cats}\n\n${markets}`;
const semantic = { strategy: 'semantic', chunkSize: 1000, chunkOverlap: 0 } as const;
const contents = (chunks: Chunk[]) => chunks.map((c) => c.content);

/** Embeds by topic words, so only the cats → markets gap looks dissimilar. */
const topicVector = (window: string) => {
  const count = (pattern: RegExp) => (window.match(pattern) ?? []).length;
  return [
    count(/\bcats?\b|\bfur\b|\bmice\b|\bpurrs\b/gi),
    count(/\bmarket|\bstock|\bshares?\b|\binvestors\b/gi),
  ];
};

describe('semantic strategy with the offline hashing embedder', () => {
  it('cuts at the topic change and nowhere else at a fitting threshold', () => {
    const chunks = chunk(text, { ...semantic, similarityThreshold: 0.2 });
    expect(contents(chunks)).toEqual([cats, markets]);
    expect(chunks[0]?.metadata).toEqual({ embedder: 'hashing-512-3', boundarySimilarity: null });
    expect(chunks[1]?.metadata.boundarySimilarity).toBeLessThan(0.2);
  });

  it('cuts more as the threshold rises, and never at -1', () => {
    const counts = [-1, 0.2, 0.3, 1].map((t) => chunk(text, { ...semantic, similarityThreshold: t }).length);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[0]).toBe(1);
    expect(counts[3]).toBeGreaterThan(2);
  });

  it('packs a topic group larger than the size by sentences, never exceeding it', () => {
    const chunks = chunk(text, { ...semantic, chunkSize: 80, chunkOverlap: 0, similarityThreshold: 0.2 });
    expect(chunks.every((c) => c.charCount <= 80)).toBe(true);
    expect(chunks.filter((c) => c.metadata.boundarySimilarity !== null)).toHaveLength(1);
    expect(chunks.find((c) => c.metadata.boundarySimilarity !== null)?.content).toMatch(/^The stock market/);
  });

  it('refuses a network embedder in the synchronous chunk(), naming the field', () => {
    const config = {
      ...semantic,
      embedder: { provider: 'openai', baseUrl: 'http://127.0.0.1:9', model: 'm' },
    };
    expect(() => chunk(text, config)).toThrow(InvalidConfigError);
    expect(() => chunk(text, config)).toThrow(/use chunkAsync/);
  });

  it('gives the same chunks through chunkAsync', async () => {
    const config = { ...semantic, similarityThreshold: 0.3 };
    expect(await chunkAsync(text, config)).toEqual(chunk(text, config));
  });

  it('uses an embedder passed to chunkAsync in place of the configured one', async () => {
    const byTopic: Embedder = {
      id: 'topics',
      embed: async (texts) => texts.map((t) => Float32Array.from(topicVector(t))),
    };
    const chunks = await chunkAsync(text, { ...semantic, similarityThreshold: 0.9 }, { embedder: byTopic });
    expect(contents(chunks)).toEqual([cats, markets]);
    expect(chunks[1]?.metadata).toMatchObject({ embedder: 'topics' });
  });

  it('stops between embedding batches once the caller aborts, with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('operation cancelled');
    let calls = 0;
    const cancelling: Embedder = {
      id: 'cancelling',
      embed: async (texts) => {
        calls++;
        controller.abort(reason);
        return texts.map((t) => Float32Array.from(topicVector(t)));
      },
    };
    // 400 sentences: several batches of windows.
    const long = `${cats} `.repeat(100);
    await expect(
      chunkAsync(long, semantic, { embedder: cancelling, signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it('keeps every invariant on random text and thresholds', () => {
    checkStrategyInvariants('semantic', {
      extra: fc.record({ similarityThreshold: fc.double({ min: -1, max: 1, noNaN: true }) }),
      numRuns: 120,
    });
  });
});

describe('semantic strategy over a real OpenAI-compatible HTTP embedder', () => {
  const requests: string[][] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const part of req) body += part;
    const { input } = JSON.parse(body) as { input: string[] };
    requests.push(input);
    const data = input.map((window, index) => ({ index, embedding: topicVector(window) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
  let baseUrl = '';
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('embeds the windows in batches and cuts where the model says the topic changes', async () => {
    const embedder = { provider: 'openai', baseUrl, model: 'topics', batchSize: 4 } as const;
    const chunks = await chunkAsync(text, { ...semantic, similarityThreshold: 0.9, embedder });
    expect(contents(chunks)).toEqual([cats, markets]);
    expect(chunks[0]?.metadata.embedder).toBe('http:topics');
    // 8 sentences → 7 gaps → 9 distinct windows of up to two sentences, sent four at a time.
    expect(requests.map((batch) => batch.length)).toEqual([4, 4, 1]);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    const embedder = { provider: 'openai', baseUrl, model: 'topics' } as const;
    await expect(chunkAsync(text, { ...semantic, embedder }, { signal: controller.signal })).rejects.toThrow(
      'caller gave up',
    );
  });
});
