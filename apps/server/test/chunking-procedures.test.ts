import { strategyChoice, TRPCClientError } from '@chunkflow/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const markdown = [
  '# Guide',
  '',
  'Chunking decides what retrieval can find. Cuts should follow the structure of the text.',
  '',
  '## Install',
  '',
  'Run the installer. Then configure the service with environment variables.',
  '',
  '## Use',
  '',
  'Preview a document first. Compare strategies. Apply the best one to the collection.',
].join('\n');

function codeOf(error: unknown): string | undefined {
  expect(error).toBeInstanceOf(TRPCClientError);
  return ((error as TRPCClientError<never>).data as unknown as { code: string }).code;
}

describe.each(backendModes)('chunking procedures on the %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('previews with every strategy and alias, with exact offsets and sizes within the limit', async () => {
    const source = `${markdown}\n\n\`\`\`ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n\`\`\`\n`;
    const { strategies } = await server.client.chunking.strategies.query({});
    const names = [
      ...strategies.map((strategy) => strategy.name),
      'fixed_size',
      'character',
      'sliding_window',
      'document_structure',
    ];
    expect(names).toEqual(
      expect.arrayContaining([
        'fixed',
        'recursive',
        'markdown',
        'sentence',
        'code',
        'semantic',
        'hierarchical',
        'hybrid',
      ]),
    );
    for (const strategy of names) {
      const config =
        strategy === 'hierarchical'
          ? { levels: [160, 60], chunkOverlap: 0 }
          : { chunkSize: 120, chunkOverlap: 0 };
      const preview = await server.client.chunking.preview.mutate({
        content: source,
        ...strategyChoice(strategy, config),
      });
      expect(preview.totalChunks, strategy).toBeGreaterThan(0);
      for (const chunk of preview.chunks) {
        expect(source.slice(chunk.startOffset, chunk.endOffset), strategy).toBe(chunk.content);
        expect(chunk.charCount, strategy).toBeLessThanOrEqual(strategy === 'hierarchical' ? 160 : 120);
      }
    }
  });

  it('recommends markdown for a markdown document, with a reason and a valid config', async () => {
    const recommendation = await server.client.chunking.recommend.mutate({
      content: markdown,
      fileType: 'guide.md',
    });
    expect(recommendation.strategy).toBe('markdown');
    expect(recommendation.reason).toMatch(/markdown/i);
    expect(recommendation.config).toMatchObject({ strategy: 'markdown' });
    expect(recommendation.confidence).toBeGreaterThan(0);
  });

  it('compares strategies side by side and recommends one of them', async () => {
    const comparison = await server.client.chunking.compare.mutate({
      content: markdown,
      strategies: [
        { strategy: 'fixed', config: { chunkSize: 80, chunkOverlap: 0 } },
        { strategy: 'markdown', config: { chunkSize: 120, chunkOverlap: 0 } },
        { strategy: 'sentence', config: { chunkSize: 120, chunkOverlap: 0 } },
      ],
      sampleSize: 2,
    });
    expect(comparison.results.map((result) => result.strategy)).toEqual(['fixed', 'markdown', 'sentence']);
    for (const result of comparison.results) {
      expect(result.totalChunks).toBeGreaterThan(0);
      expect(result.sampleChunks).toHaveLength(Math.min(2, result.totalChunks));
      expect(result.totalChunks).toBe(result.metrics.chunkCount);
      expect(result.score.score).toBeGreaterThan(0);
      for (const chunk of result.sampleChunks) {
        expect(markdown.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);
      }
    }
    const fixed = comparison.results[0];
    const markdownResult = comparison.results[1];
    // Fixed windows cut mid-sentence; heading sections end on paragraph boundaries.
    expect(markdownResult?.metrics.paragraphBoundaryRatio).toBeGreaterThan(
      fixed?.metrics.paragraphBoundaryRatio ?? 1,
    );
    expect(['markdown', 'sentence']).toContain(comparison.recommendation.strategy);
    expect(comparison.contentAnalysis.strategy).toBe('markdown');

    // Each compared strategy is a preview: previewing it now is a cache hit with the same figures.
    const preview = await server.client.chunking.preview.mutate({
      content: markdown,
      strategy: 'markdown',
      config: { chunkSize: 120, chunkOverlap: 0 },
    });
    expect(preview.cached).toBe(true);
    expect(preview.totalChunks).toBe(markdownResult?.totalChunks);
    expect(preview.metrics).toEqual(markdownResult?.metrics);
  });

  it('rejects a comparison of one strategy or of more than six', async () => {
    const one = await server.client.chunking.compare
      .mutate({ content: markdown, strategies: [{ strategy: 'fixed' }] })
      .catch((error: unknown) => error);
    expect(codeOf(one)).toBe('VALIDATION_ERROR');
    const seven = await server.client.chunking.compare
      .mutate({ content: markdown, strategies: Array.from({ length: 7 }, () => ({ strategy: 'fixed' })) })
      .catch((error: unknown) => error);
    expect(codeOf(seven)).toBe('VALIDATION_ERROR');
  });

  it('reads a cached preview by id, hides it from other tenants, and deletes it', async () => {
    const preview = await server.client.chunking.preview.mutate({
      content: markdown,
      strategy: 'markdown',
      config: { chunkSize: 100, chunkOverlap: 0 },
    });
    const again = await server.client.chunking.getPreview.query({
      previewId: preview.previewId,
      maxChunks: 1,
    });
    expect(again).toMatchObject({
      previewId: preview.previewId,
      cached: true,
      totalChunks: preview.totalChunks,
    });
    expect(again.chunks).toEqual(preview.chunks.slice(0, 1));

    const otherTenant = server.clientFor(
      await server.app.services.auth.createApiKey(`other-${mode}`, 'test'),
    );
    const hidden = await otherTenant.chunking.getPreview
      .query({ previewId: preview.previewId })
      .catch((error: unknown) => error);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    const notDeleted = await otherTenant.chunking.deletePreview
      .mutate({ previewId: preview.previewId })
      .catch((error: unknown) => error);
    expect(codeOf(notDeleted)).toBe('NOT_FOUND');

    expect(await server.client.chunking.deletePreview.mutate({ previewId: preview.previewId })).toEqual({
      deleted: true,
    });
    const gone = await server.client.chunking.getPreview
      .query({ previewId: preview.previewId })
      .catch((error: unknown) => error);
    expect(codeOf(gone)).toBe('NOT_FOUND');
  });

  it('serves the same procedures over REST', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` };
    const created = await fetch(`${server.url}/api/v2/chunking/preview`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        content: markdown,
        strategy: 'sentence',
        config: { chunkSize: 90, chunkOverlap: 0 },
      }),
    });
    const { previewId } = (await created.json()) as { previewId: string };
    const fetched = await fetch(`${server.url}/api/v2/chunking/preview/${previewId}`, { headers });
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { cached: boolean }).cached).toBe(true);
    const deleted = await fetch(`${server.url}/api/v2/chunking/preview/${previewId}`, {
      method: 'DELETE',
      headers: { authorization: headers.authorization },
    });
    expect(deleted.status).toBe(200);
    const compared = await fetch(`${server.url}/api/v2/chunking/compare`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        content: markdown,
        strategies: [{ strategy: 'fixed' }, { strategy: 'recursive' }],
      }),
    });
    expect(compared.status).toBe(200);
    expect(((await compared.json()) as { results: unknown[] }).results).toHaveLength(2);
  });
});
