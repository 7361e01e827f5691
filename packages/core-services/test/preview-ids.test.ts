import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatedTenant, ConfigBuilder } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

/**
 * A preview id hashes the tenant, the text and the built config's JSON: a change to the keys,
 * their order or their values would orphan every cached preview. These ids were computed with
 * ENGINE_VERSION 2 (chunks carry embedText; the hash includes the document's context); only a new
 * ENGINE_VERSION may move them.
 */
const tenant: AuthenticatedTenant = { id: 'pinned-tenant', apiKeyId: 'pinned-key' };
const content = '# Title\n\nOne sentence here. Another one there.\n\n```ts\nconst x = 1;\n```\n'.repeat(20);

const pinned: [strategy: string, config: Record<string, unknown> | undefined, previewId: string][] = [
  ['fixed', undefined, '61aca715714c11998a9c37cc8bfad64c'],
  ['character', { chunkSize: 120, chunkOverlap: 10 }, '63350bdc88ffa6161f9c417aba1041d5'],
  [
    'recursive',
    { chunkSize: 200, sizeUnit: 'tokens', tokenizer: 'o200k_base' },
    '23dfe9e9b31901a56c539aef758fb271',
  ],
  ['markdown', { headingLevels: [2, 1] }, 'e3a9568fd5a3942db51f24d868385f34'],
  ['hierarchical', { levels: [400, 100] }, '394d0b48a70842ca1710e716d0fe6d76'],
  [
    'semantic',
    { chunkSize: 300, chunkOverlap: 0, embedder: { provider: 'hashing', dimensions: 64 } },
    'aceb59282f63edb61c491f11549c7d31',
  ],
  ['hybrid', { chunkSize: 250 }, 'c5bc1353d6c323773bff94cda87b2d6b'],
];

let embedded: EmbeddedServices;

beforeAll(async () => {
  embedded = await openEmbeddedServices();
});
afterAll(async () => {
  await embedded?.close();
});

describe('preview ids', () => {
  it.each(pinned)('are unchanged for %s %j', async (strategy, config, previewId) => {
    const preview = await embedded.services.chunking.preview(tenant, { content, strategy, config });
    expect(preview.previewId).toBe(previewId);
  });
});

describe('built configs', () => {
  it('keep their keys in order once the embedder policy is applied', () => {
    const builder = new ConfigBuilder({ allowedBaseUrls: ['https://embeddings.internal/v1'] });
    const config = builder.build('semantic', {
      chunkSize: 500,
      chunkOverlap: 0,
      embedder: { provider: 'openai', baseUrl: 'https://embeddings.internal/v1', model: 'm', batchSize: 4 },
    });
    expect(JSON.stringify(config)).toBe(
      '{"strategy":"semantic","chunkSize":500,"chunkOverlap":0,"sizeUnit":"chars","tokenizer":"cl100k_base","minChunkSize":0,"embedTemplate":"title-headings","embedSizeLimit":"content","similarityThreshold":0.5,"embedder":{"provider":"openai","baseUrl":"https://embeddings.internal/v1","model":"m","batchSize":16,"maxRetries":2,"timeoutMs":30000}}',
    );
  });
});
