import { countTokens, normalizeConfig } from '@chunkflow/chunkers';
import { articleHtml } from '@chunkflow/converters/fixtures';
import type { NewChunk } from '@chunkflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedChunks } from '../src/chunking/chunk-table.ts';
import { InlineExecutor } from '../src/chunking/executor.ts';
import { exportLines } from '../src/documents/chunk-export.ts';
import type { AuthenticatedTenant } from '../src/index.ts';
import { type EmbeddedServices, openEmbeddedServices } from './support/embedded.ts';

const guide = [
  '# Guide',
  '',
  '## Install',
  '',
  'Run the installer and wait for it to finish.',
  '',
  '## Use',
  '',
  'Call chunk() with a strategy and a size, then store what it gives.',
  '',
].join('\n');

async function collect(lines: AsyncIterable<string>): Promise<Record<string, unknown>[]> {
  let text = '';
  for await (const batch of lines) text += batch;
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('chunk output and export', () => {
  let embedded: EmbeddedServices;
  let tenant: AuthenticatedTenant;
  let collectionId: string;
  let documentId: string;

  beforeAll(async () => {
    embedded = await openEmbeddedServices();
    tenant = await embedded.services.auth.authenticate(
      await embedded.services.auth.createApiKey('export', 'test'),
    );
    collectionId = (await embedded.services.collections.create(tenant, { name: 'guides' })).id;
    documentId = (
      await embedded.services.documents.create(tenant, collectionId, {
        name: 'guide.md',
        content: guide,
        metadata: { source: 'handbook', headings: ['not the strategy’s'], title: 'The Guide' },
      })
    ).id;
  });
  afterAll(() => embedded?.close());

  it('previews a stored document with its title in embedText and its metadata under the strategy’s', async () => {
    const preview = await embedded.services.chunking.preview(tenant, {
      documentId,
      strategy: 'markdown',
      config: { minChunkSize: 30 },
    });
    expect(preview.chunks.map((chunk) => chunk.metadata.headings)).toEqual([
      ['Guide', 'Install'],
      ['Guide', 'Use'],
    ]);
    for (const chunk of preview.chunks) {
      expect(chunk.embedText).toBe(
        `The Guide\n${(chunk.metadata.headings as string[]).join(' > ')}\n\n${chunk.content}`,
      );
      expect(chunk.embedTokenCount).toBe(countTokens(chunk.embedText, 'cl100k_base'));
      expect(chunk.metadata.source).toBe('handbook');
    }
  });

  it('heads the embedText of a strategy without headings with the converted file’s heading path', async () => {
    const page = await embedded.services.documents.upload(
      tenant,
      collectionId,
      { name: 'tides.html', contentType: 'text/html' },
      (async function* () {
        yield new TextEncoder().encode(articleHtml);
      })(),
    );
    const config = { chunkSize: 120, chunkOverlap: 0 };
    const preview = await embedded.services.chunking.preview(tenant, {
      documentId: page.id,
      strategy: 'recursive',
      config,
    });
    const paths = new Set<string>();
    for (const chunk of preview.chunks) {
      const headings = chunk.metadata.headings as string[];
      paths.add(headings.join(' > '));
      const context = headings.length > 0 ? `tides.html\n${headings.join(' > ')}` : 'tides.html';
      expect(chunk.embedText).toBe(`${context}\n\n${chunk.content}`);
      expect(chunk.embedTokenCount).toBe(countTokens(chunk.embedText, 'cl100k_base'));
    }
    expect(paths).toContain('Tide Tables Explained > Reading the columns');
    expect(paths).toContain('Tide Tables Explained > Spring and neap tides');
  });

  it('stores what the executor chunked and exports it line by line with the document', async () => {
    const config = normalizeConfig({ strategy: 'markdown', chunkSize: 60, chunkOverlap: 0 });
    const tables = new InlineExecutor().tables(guide, config, { title: 'The Guide' });
    const document = await embedded.database.documents.getForProcessing(documentId);
    await embedded.database.chunks.replaceDocumentChunks(
      documentId,
      storedChunks(guide, tables, document?.metadata),
    );
    const lines = await collect(await embedded.services.chunks.export(tenant, { collectionId }));
    expect(lines.length).toBeGreaterThan(2);
    lines.forEach((line, index) => {
      expect(Object.keys(line)).toEqual([
        'documentId',
        'documentName',
        'index',
        'content',
        'embedText',
        'startOffset',
        'endOffset',
        'charCount',
        'tokenCount',
        'embedTokenCount',
        'metadata',
        'documentMetadata',
      ]);
      expect(line).toMatchObject({ documentId, documentName: 'guide.md', index });
      expect(guide.slice(line.startOffset as number, line.endOffset as number)).toBe(line.content);
      expect((line.embedText as string).startsWith('The Guide\nGuide')).toBe(true);
      expect((line.embedText as string).endsWith(line.content as string)).toBe(true);
      expect(line.embedTokenCount).toBe(countTokens(line.embedText as string, 'cl100k_base'));
      const metadata = line.metadata as Record<string, unknown>;
      expect(metadata.source).toBe('handbook');
      expect(metadata.headings).not.toEqual(['not the strategy’s']);
      expect(line.documentMetadata).toMatchObject({ source: 'handbook' });
    });
  });

  it('stops reading the database when the consumer stops', async () => {
    const { id: bigDocument } = await embedded.services.documents.create(tenant, collectionId, {
      name: 'big.txt',
      content: 'abcd'.repeat(3_000),
    });
    const chunks: NewChunk[] = Array.from({ length: 3_000 }, (_, index) => ({
      chunkIndex: index,
      startOffset: index * 4,
      endOffset: index * 4 + 4,
      charCount: 4,
      tokenCount: 1,
      content: 'abcd',
    }));
    await embedded.database.chunks.replaceDocumentChunks(bigDocument, chunks);
    let chunkReads = 0;
    const stop = embedded.database.observeQueries((event) => {
      if (event.sql.includes('FROM "chunks" WHERE "set_id"')) chunkReads += 1;
    });
    try {
      const lines = await embedded.services.chunks.export(tenant, { collectionId, documentId: bigDocument });
      expect(chunkReads).toBe(1);
      const first = await lines.next();
      expect((first.value as string).split('\n')).toHaveLength(1_001);
      await lines.return(undefined);
      const all = await collect(
        await embedded.services.chunks.export(tenant, { collectionId, documentId: bigDocument }),
      );
      expect(all).toHaveLength(3_000);
      // One read for the stopped export; for the whole one, 3,000 rows in batches of 1,000 and the empty read after.
      expect(chunkReads).toBe(1 + 4);
    } finally {
      stop();
    }
  });

  it('ends an export past its time budget with BUDGET_EXCEEDED, after whole batches only', async () => {
    const { id: longDocument } = await embedded.services.documents.create(tenant, collectionId, {
      name: 'long.txt',
      content: 'wxyz'.repeat(2_500),
    });
    const chunks: NewChunk[] = Array.from({ length: 2_500 }, (_, index) => ({
      chunkIndex: index,
      startOffset: index * 4,
      endOffset: index * 4 + 4,
      charCount: 4,
      tokenCount: 1,
      content: 'wxyz',
    }));
    await embedded.database.chunks.replaceDocumentChunks(longDocument, chunks);
    const filter = { collectionId, documentId: longDocument };
    // A budget of 0 is spent at once: the first batch (read before the answer starts) is sent whole.
    const lines = await exportLines(embedded.database.chunks.exportBatches(tenant.id, filter), 0);
    const first = await lines.next();
    expect((first.value as string).split('\n')).toHaveLength(1_001);
    await expect(lines.next()).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', details: { budgetMs: 0 } });
    // Within its budget the same export reads to the end.
    const whole = await collect(
      await exportLines(embedded.database.chunks.exportBatches(tenant.id, filter), 60_000),
    );
    expect(whole).toHaveLength(2_500);
  });
});
