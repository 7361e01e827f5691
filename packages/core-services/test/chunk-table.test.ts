import { chunkForEmbedding, normalizeConfig } from '@chunkflow/chunkers';
import { describe, expect, it } from 'vitest';
import { chunkTableOf, storedChunks } from '../src/chunking/chunk-table.ts';

describe('ChunkTable', () => {
  it('gives back every chunk as stored rows: offsets, contents, exact token counts, embed headers, metadata', async () => {
    const text = '# Intro\n\nSome text here.\n\n## Details "quoted"\n\nMore text.\nOn lines.\n'.repeat(20);
    const config = normalizeConfig({ strategy: 'markdown', chunkSize: 120, chunkOverlap: 0 });
    const chunks = await chunkForEmbedding(text, config, { title: 'Notes\non lines' });
    expect(chunks.some((piece) => (piece.metadata.headings?.length ?? 0) > 1)).toBe(true);
    const rows = [...storedChunks(text, chunkTableOf(chunks), { source: 'wiki', headings: ['overwritten'] })];
    expect(rows).toEqual(
      chunks.map((piece) => ({
        chunkIndex: piece.index,
        startOffset: piece.startOffset,
        endOffset: piece.endOffset,
        charCount: piece.charCount,
        tokenCount: piece.tokenCount,
        content: piece.content,
        embedHeader: piece.embedText.slice(0, piece.embedText.length - piece.content.length),
        embedTokenCount: piece.embedTokenCount,
        metadata: { source: 'wiki', ...piece.metadata },
      })),
    );
  });

  it('keeps metadata whose strings hold newlines on their own line', () => {
    const table = chunkTableOf([
      {
        index: 0,
        content: 'ab',
        startOffset: 0,
        endOffset: 2,
        charCount: 2,
        tokenCount: 1,
        metadata: { headings: ['a\nb'] },
      },
      { index: 1, content: 'c', startOffset: 2, endOffset: 3, charCount: 1, tokenCount: 1, metadata: {} },
    ]);
    expect([...storedChunks('abc', table)].map((row) => row.metadata)).toEqual([{ headings: ['a\nb'] }, {}]);
  });
});
