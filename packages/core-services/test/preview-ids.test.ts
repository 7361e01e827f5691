import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatedTenant, ConfigBuilder } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

/**
 * A preview id hashes the tenant, the text and the built config's JSON: a change to the keys,
 * their order or their values would orphan every cached preview. These ids were computed before
 * configs were branded as normalised; only a new ENGINE_VERSION may move them.
 */
const tenant: AuthenticatedTenant = { id: 'pinned-tenant', apiKeyId: 'pinned-key' };
const content = '# Title\n\nOne sentence here. Another one there.\n\n```ts\nconst x = 1;\n```\n'.repeat(20);

const pinned: [strategy: string, config: Record<string, unknown> | undefined, previewId: string][] = [
  ['fixed', undefined, 'ba1b2c61083db2a3dda0c6ac35c93192'],
  ['character', { chunkSize: 120, chunkOverlap: 10 }, 'c2fcb2e9b8935b487530358bf061a68f'],
  [
    'recursive',
    { chunkSize: 200, sizeUnit: 'tokens', tokenizer: 'o200k_base' },
    '0c67cc932f33362650118c4d3e392df6',
  ],
  ['markdown', { headingLevels: [2, 1] }, '385f62078dd811b9aae9222b0914b575'],
  ['hierarchical', { levels: [400, 100] }, 'c0678b5be01ab4e3ac7978be438bede5'],
  [
    'semantic',
    { chunkSize: 300, chunkOverlap: 0, embedder: { provider: 'hashing', dimensions: 64 } },
    'a5b7a9dec998c1a298f4b9c23724a53b',
  ],
  ['hybrid', { chunkSize: 250 }, 'dc6492d46b67d6313e5edca0ee4015c4'],
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
      '{"strategy":"semantic","chunkSize":500,"chunkOverlap":0,"sizeUnit":"chars","tokenizer":"cl100k_base","similarityThreshold":0.5,"embedder":{"provider":"openai","baseUrl":"https://embeddings.internal/v1","model":"m","batchSize":16,"maxRetries":2,"timeoutMs":30000}}',
    );
  });
});
