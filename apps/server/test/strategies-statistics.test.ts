import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { type OperationsCluster, startOperationsCluster } from './support/operations-cluster.ts';
import { startTestServer, type TestServer } from './support/server.ts';

interface StrategyBody {
  name: string;
  defaultConfig: Record<string, unknown>;
  parametersSchema: Record<string, unknown> & { properties: Record<string, unknown> };
}

/** An independent validator of the served JSON Schemas (the server only ever emits them). */
const ajv = new Ajv2020({ strict: true, allErrors: true, formats: { uri: true } });

describe('strategy parameter schemas over REST', () => {
  let server: TestServer;
  let strategies: StrategyBody[];

  beforeAll(async () => {
    server = await startTestServer('embedded');
    const response = await fetch(`${server.url}/api/v2/chunking/strategies`);
    expect(response.status).toBe(200);
    ({ strategies } = (await response.json()) as { strategies: StrategyBody[] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("describes each strategy's parameters with a JSON Schema its default config satisfies", () => {
    expect(strategies.map((strategy) => strategy.name)).toContain('semantic');
    for (const { name, defaultConfig, parametersSchema } of strategies) {
      const validate = ajv.compile(parametersSchema);
      const { strategy, ...parameters } = defaultConfig;
      expect(strategy).toBe(name);
      expect({ name, valid: validate(parameters), errors: validate.errors ?? null }).toEqual({
        name,
        valid: true,
        errors: null,
      });
      expect(validate({ ...parameters, chunkSize: 2 })).toBe(false);
    }
  });

  it('lists exactly the keys the engine accepts for each strategy', async () => {
    const keysOf = (name: string) =>
      Object.keys(strategies.find((strategy) => strategy.name === name)?.parametersSchema.properties ?? {});
    expect(keysOf('recursive')).toEqual([
      'chunkSize',
      'chunkOverlap',
      'sizeUnit',
      'tokenizer',
      'minChunkSize',
      'embedTemplate',
      'embedSizeLimit',
      'separators',
    ]);
    expect(keysOf('semantic')).toEqual(expect.arrayContaining(['similarityThreshold', 'embedder']));
    // A valid value of every key some strategy takes: its default where one has it.
    const values = new Map<string, unknown>([['language', 'typescript']]);
    for (const { defaultConfig } of strategies) {
      for (const [key, value] of Object.entries(defaultConfig)) values.set(key, value);
    }
    const everyKey = new Set(strategies.flatMap((strategy) => keysOf(strategy.name)));
    for (const { name, parametersSchema } of strategies) {
      const validate = ajv.compile(parametersSchema);
      for (const key of everyKey) {
        if (key in parametersSchema.properties) continue;
        // A key outside the schema: the schema refuses it, and so does the engine, naming it.
        const config = { [key]: values.get(key) };
        expect(validate(config)).toBe(false);
        const response = await fetch(`${server.url}/api/v2/chunking/preview`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'Some text.', strategy: name, config }),
        });
        expect({ name, key, status: response.status }).toEqual({ name, key, status: 400 });
        const { error } = (await response.json()) as {
          error: { code: string; details?: { field?: string } };
        };
        expect(error).toMatchObject({ code: 'INVALID_CONFIG', details: { field: key } });
      }
    }
  });
});

/** Documents without whitespace, so `fixed` windows of 30 chars cut them exactly. */
const DOCUMENT_LENGTHS = [67, 49, 30];
/** Chunk sizes: 30, 30, 7 | 30, 19 | 30, i.e. 7..30 (24 sizes) in 12 bins of 2. */
const EXPECTED_DISTRIBUTION = [
  { from: 7, to: 8, count: 1 },
  ...[9, 11, 13, 15, 17].map((from) => ({ from, to: from + 1, count: 0 })),
  { from: 19, to: 20, count: 1 },
  ...[21, 23, 25, 27].map((from) => ({ from, to: from + 1, count: 0 })),
  { from: 29, to: 30, count: 4 },
];

describe.each(backendModes)('statistics over REST on the %s backends', (mode) => {
  let cluster: OperationsCluster;
  let headers: Record<string, string>;

  const rest = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${cluster.app.url}/api/v2${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    cluster = await startOperationsCluster(mode);
    if (mode === 'services') await cluster.startWorker();
    headers = { authorization: `Bearer ${cluster.apiKey}`, 'content-type': 'application/json' };
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('serves the chunk size distribution of the whole collection, also from the cache', async () => {
    const collection = await rest('POST', '/collections', { name: 'sized' });
    const collectionId = collection.body.id as string;
    for (const [i, length] of DOCUMENT_LENGTHS.entries()) {
      const created = await rest('POST', `/collections/${collectionId}/documents`, {
        name: `d${i}.txt`,
        content: 'x'.repeat(length),
      });
      expect(created.status).toBe(200);
    }
    const applied = await rest('POST', '/chunking/apply', {
      collectionId,
      strategy: 'fixed',
      config: { chunkSize: 30, chunkOverlap: 0 },
    });
    expect(applied.status).toBe(202);
    await expect
      .poll(async () => (await rest('GET', `/operations/${applied.body.operationId}`)).body.status, {
        timeout: 20_000,
      })
      .toBe('completed');

    const first = await rest('GET', `/chunking/statistics?collectionId=${collectionId}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      totalChunks: 6,
      minChunkSize: 7,
      maxChunkSize: 30,
      sizeDistribution: EXPECTED_DISTRIBUTION,
    });
    // The operation reads `completed` as soon as its status commits; the cache entry it drops right
    // after may be the one the first read just stored, so a later read is the one that must hit.
    await expect
      .poll(async () => {
        const hits = cluster.app.services.statistics.stats().hits;
        const again = await rest('GET', `/chunking/statistics?collectionId=${collectionId}`);
        return { hit: cluster.app.services.statistics.stats().hits === hits + 1, body: again.body };
      })
      .toEqual({ hit: true, body: first.body });
  });
});
