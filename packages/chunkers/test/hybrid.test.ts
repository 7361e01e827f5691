import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommend } from '../src/analysis/recommend.ts';
import { type Chunk, chunk, chunkAsync, normalizeConfig } from '../src/index.ts';
import { codeSamples } from './fixtures/code-samples.ts';
import { checkStrategyInvariants, documentArbitrary } from './support/invariants.ts';

const prose =
  'The river rose slowly through the night. By morning the lower fields were under water. Nobody spoke much; they had seen floods before. What worried them was the seed.';
const csv = ['id,name,city', ...Array.from({ length: 40 }, (_, i) => `${i},Person ${i},City ${i % 7}`)].join(
  '\n',
);
const markdown = `# Guide\n\nIntro text for the guide.\n\n## Install\n\nRun the installer and follow the [steps](https://example.com).\n\n## Use\n\n- open the app\n- sign in\n`;
const sizes = { chunkSize: 120, chunkOverlap: 0 } as const;
const withoutHybrid = (chunks: Chunk[]) =>
  chunks.map(({ metadata: { hybrid: _hybrid, ...metadata }, ...rest }) => ({ ...rest, metadata }));

describe('hybrid strategy', () => {
  it('picks code and the language for source, and chunks exactly as code would', () => {
    const chunks = chunk(codeSamples.go, { strategy: 'hybrid', ...sizes });
    expect(chunks[0]?.metadata.hybrid).toMatchObject({ strategy: 'code', kind: 'code', language: 'go' });
    expect(chunks[0]?.metadata.hybrid).toMatchObject({
      reason: expect.stringMatching(/go constructs.*syntax boundaries/),
    });
    expect(withoutHybrid(chunks)).toEqual(
      chunk(codeSamples.go, { strategy: 'code', language: 'go', ...sizes }),
    );
  });

  it('picks sentence packing for prose', () => {
    const chunks = chunk(prose, { strategy: 'hybrid', ...sizes });
    expect(chunks.every((c) => (c.metadata.hybrid as { strategy: string }).strategy === 'sentence')).toBe(
      true,
    );
    expect(withoutHybrid(chunks)).toEqual(chunk(prose, { strategy: 'sentence', ...sizes }));
  });

  it('cuts CSV between rows', () => {
    const chunks = chunk(csv, { strategy: 'hybrid', ...sizes });
    expect(chunks[0]?.metadata.hybrid).toMatchObject({
      strategy: 'recursive',
      kind: 'structured',
      format: 'csv',
    });
    for (const c of chunks) {
      expect(c.content.split('\n').every((row) => /^(id,name,city|\d+,Person \d+,City \d)$/.test(row))).toBe(
        true,
      );
    }
  });

  it('picks markdown for markdown', () => {
    const chunks = chunk(markdown, { strategy: 'hybrid', ...sizes });
    expect(chunks[0]?.metadata.hybrid).toMatchObject({ strategy: 'markdown', kind: 'markdown' });
  });

  it('forwards the strategy-specific keys that apply to its pick', () => {
    const chunks = chunk(codeSamples.go, { strategy: 'hybrid', language: 'rust', ...sizes });
    expect(chunks[0]?.metadata).toMatchObject({ language: 'rust', hybrid: { strategy: 'code' } });
    const rows = chunk(csv, { strategy: 'hybrid', separators: [','], ...sizes });
    expect(rows.some((c) => c.content.includes('\n'))).toBe(true);
  });

  it('loads the code parser through chunkAsync', async () => {
    const chunks = await chunkAsync(codeSamples.java, { strategy: 'hybrid', ...sizes });
    expect(chunks[0]?.metadata).toMatchObject({ splitter: 'tree-sitter', hybrid: { language: 'java' } });
  });

  it('keeps every invariant whatever it picks', () => {
    const documents = fc.oneof(
      documentArbitrary,
      fc.constantFrom(...Object.values(codeSamples), csv, markdown, prose),
    );
    checkStrategyInvariants('hybrid', { documents, numRuns: 120 });
  });
});

describe('recommend', () => {
  it('answers from the file type alone', () => {
    const result = recommend({ fileType: 'main.py' });
    expect(result).toMatchObject({ strategy: 'code', confidence: 0.95 });
    expect(result.config).toMatchObject({
      strategy: 'code',
      language: 'python',
      chunkSize: 1500,
      chunkOverlap: 150,
    });
  });

  it.each([
    [{ content: markdown }, 'markdown'],
    [{ content: prose }, 'sentence'],
    [{ content: csv }, 'recursive'],
    [{ content: codeSamples.rust }, 'code'],
    [{ content: prose, fileType: 'README.md' }, 'markdown'],
    [{}, 'recursive'],
  ] as const)('recommends for %o: %s, with a valid config and a reason', (input, strategy) => {
    const result = recommend(input);
    expect(result.strategy).toBe(strategy);
    expect(result.config.strategy).toBe(strategy);
    expect(normalizeConfig(result.config)).toEqual(result.config);
    expect(result.reason.length).toBeGreaterThan(20);
    expect(result.confidence).toBeGreaterThan(0);
  });

  it('suggests row separators for records and says why', () => {
    const result = recommend({ content: csv });
    expect(result.config).toMatchObject({ separators: ['\n', ''], chunkOverlap: 0 });
    expect(result.reason).toMatch(/csv.*between rows/);
    expect(result.analysis).toMatchObject({ kind: 'structured', format: 'csv' });
  });

  it('admits it knows nothing when given nothing', () => {
    expect(recommend({})).toMatchObject({ strategy: 'recursive', confidence: 0.3 });
  });
});
