import { describe, expect, it } from 'vitest';
import { chunk } from '../src/index.ts';
import { checkStrategyInvariants, checkStrategyInvariantsAcrossSegments } from './support/invariants.ts';

const doc = [
  '# Guide',
  '',
  'Intro paragraph.',
  '',
  '## Install',
  '',
  'Run the installer.',
  '',
  '```sh',
  '# not a heading',
  'npm install chunkflow',
  '```',
  '',
  '## Use',
  '',
  '| option | meaning |',
  '|--------|---------|',
  '| size   | chunk size |',
  '| overlap | shared part |',
  '',
  '### Details',
  '',
  '- first item',
  '- second item',
  '',
].join('\n');

describe('markdown', () => {
  it('makes one chunk per section with its heading path', () => {
    const chunks = chunk(doc, { strategy: 'markdown', chunkSize: 1000, chunkOverlap: 0 });
    expect(chunks.map((c) => c.metadata.headings)).toEqual([
      ['Guide'],
      ['Guide', 'Install'],
      ['Guide', 'Use'],
      ['Guide', 'Use', 'Details'],
    ]);
    expect(chunks[1]?.content).toContain('# not a heading');
    expect(chunks[1]?.content.startsWith('## Install')).toBe(true);
  });

  it('never cuts inside a fence or a table that fits', () => {
    const chunks = chunk(doc, { strategy: 'markdown', chunkSize: 95, chunkOverlap: 0 });
    expect(chunks.length).toBeGreaterThan(4);
    const fence = doc.indexOf('```sh');
    const fenceEnd = doc.indexOf('```', fence + 3) + 3;
    const table = doc.indexOf('| option');
    const tableEnd = doc.indexOf('| overlap | shared part |') + '| overlap | shared part |'.length;
    for (const c of chunks) {
      for (const edge of [c.startOffset, c.endOffset]) {
        expect(edge > fence && edge < fenceEnd, `edge ${edge} inside the fence`).toBe(false);
        expect(edge > table && edge < tableEnd, `edge ${edge} inside the table`).toBe(false);
      }
    }
  });

  it('cuts a fence that alone exceeds the size at its lines', () => {
    const code = Array.from({ length: 30 }, (_, i) => `line ${i} of code`).join('\n');
    const text = `# Code\n\n\`\`\`\n${code}\n\`\`\`\n`;
    const chunks = chunk(text, { strategy: 'markdown', chunkSize: 100, chunkOverlap: 0 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks.slice(1)) expect(text[c.startOffset - 1]).toBe('\n');
    expect(chunks.every((c) => c.metadata.headings?.[0] === 'Code')).toBe(true);
  });

  it('honours headingLevels and the document_structure alias', () => {
    const chunks = chunk(doc, {
      strategy: 'document_structure',
      headingLevels: [1],
      chunkSize: 1000,
      chunkOverlap: 0,
    });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.metadata.headings).toEqual(['Guide']);
  });

  it('handles CRLF and text before the first heading', () => {
    const text = 'preface\r\n\r\n# One\r\nbody one\r\n## Two\r\nbody two\r\n';
    const chunks = chunk(text, { strategy: 'markdown', chunkSize: 100, chunkOverlap: 0 });
    expect(chunks.map((c) => [c.content, c.metadata.headings])).toEqual([
      ['preface', []],
      ['# One\r\nbody one', ['One']],
      ['## Two\r\nbody two', ['One', 'Two']],
    ]);
  });

  it('holds every invariant (property)', () => {
    checkStrategyInvariants('markdown');
  });

  it('holds every invariant across a segment boundary (property)', () => {
    checkStrategyInvariantsAcrossSegments('markdown');
  });
});
