import { describe, expect, it } from 'vitest';
import { createSizer } from '../src/sizing/index.ts';
import { codeStrategy } from '../src/strategies/code.ts';
import { loadedCodeParser } from '../src/strategies/code-parsers.ts';
import { codeSamples } from './fixtures/code-samples.ts';

// Its own file, so this module graph starts with no parser loaded.
const contextFor = (text: string, chunkSize: number) => ({
  text,
  config: {
    strategy: 'code' as const,
    chunkSize,
    chunkOverlap: 0,
    sizeUnit: 'chars' as const,
    tokenizer: 'cl100k_base' as const,
    language: 'go',
  },
  sizer: createSizer(text, { sizeUnit: 'chars', tokenizer: 'cl100k_base' }),
});

describe('code strategy before parsers are loaded', () => {
  it('falls back to declaration separators in the synchronous split', () => {
    expect(loadedCodeParser('go')).toBeUndefined();
    const text = codeSamples.go;
    const spans = codeStrategy.split(contextFor(text, 200));
    expect(spans.every((s) => s.metadata?.splitter === 'separators' && s.metadata.language === 'go')).toBe(
      true,
    );
    expect(spans.map((s) => text.slice(s.start, s.end).split('\n')[0])).toEqual([
      'package main',
      'func load(path string) (*Config, error) {',
      'func main() {',
    ]);
  });

  it('loads the parser through splitAsync, after which split uses it too', async () => {
    const text = codeSamples.go;
    const spans = (await codeStrategy.splitAsync?.(contextFor(text, 200))) ?? [];
    expect(spans.length).toBeGreaterThan(1);
    expect(spans.every((s) => s.metadata?.splitter === 'tree-sitter')).toBe(true);
    expect(loadedCodeParser('go')).toBeDefined();
    expect(loadedCodeParser('python')).toBeUndefined();
    expect(codeStrategy.split(contextFor(text, 200))[0]?.metadata?.splitter).toBe('tree-sitter');
  });
});
