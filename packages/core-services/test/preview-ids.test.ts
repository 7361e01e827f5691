import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthenticatedTenant, ConfigBuilder } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

/**
 * A preview id hashes the tenant, the text and the built config's JSON: a change to the keys,
 * their order or their values would orphan every cached preview. These ids were computed with
 * ENGINE_VERSION 3 (2: chunks carry embedText, the hash includes the document's context; 3: the
 * sentence boundaries of long lines fixed); only a new ENGINE_VERSION may move them.
 */
const tenant: AuthenticatedTenant = { id: 'pinned-tenant', apiKeyId: 'pinned-key' };
const content = '# Title\n\nOne sentence here. Another one there.\n\n```ts\nconst x = 1;\n```\n'.repeat(20);

const pinned: [strategy: string, config: Record<string, unknown> | undefined, previewId: string][] = [
  ['fixed', undefined, 'ff9f50a03d879816ff1f9cd6de39d6e4'],
  ['character', { chunkSize: 120, chunkOverlap: 10 }, 'e7354fb243cc0aec21a9af5fa83a72bf'],
  [
    'recursive',
    { chunkSize: 200, sizeUnit: 'tokens', tokenizer: 'o200k_base' },
    'be6c3bdb079a16163cfc13c86a848419',
  ],
  ['markdown', { headingLevels: [2, 1] }, 'c370faf2fe9d4463c2fa46d9b5356c2e'],
  ['hierarchical', { levels: [400, 100] }, '60b29913a3595775adaea6cd85e036c3'],
  [
    'semantic',
    { chunkSize: 300, chunkOverlap: 0, embedder: { provider: 'hashing', dimensions: 64 } },
    'dad7a19bb5c2640a37717f9cd47a4b6f',
  ],
  ['hybrid', { chunkSize: 250 }, 'c3c4131d6230f7da0b515a3550e47169'],
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
