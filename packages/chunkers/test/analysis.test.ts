import { describe, expect, it } from 'vitest';
import { analyzeContent } from '../src/analysis/analyze.ts';
import { codeSamples } from './fixtures/code-samples.ts';

const markdown = `# Installing the CLI

Download the archive for your platform and unpack it.

## Configuration

- Set \`API_URL\` to your server.
- See [the guide](https://example.com/guide) for details.

\`\`\`bash
export API_URL=https://example.com
\`\`\`
`;

const prose = `The river rose slowly through the night. By morning the lower fields were under water,
and the farmers gathered on the ridge to watch. Nobody spoke much; they had seen floods before,
and they knew that the water would fall again within a week. What worried them was the seed.

Река поднималась всю ночь. К утру нижние поля были под водой.`;

describe('analyzeContent', () => {
  it.each(Object.entries(codeSamples))('recognises %s source by its content', (language, source) => {
    expect(analyzeContent(source)).toMatchObject({ kind: 'code', language });
  });

  it('recognises markdown even when it contains code fences', () => {
    const analysis = analyzeContent(markdown);
    expect(analysis.kind).toBe('markdown');
    expect(analysis.reason).toMatch(/2 headings, 1 code fences/);
  });

  it('calls running text in any script prose', () => {
    expect(analyzeContent(prose).kind).toBe('prose');
    expect(analyzeContent('日本語の文章です。句読点で文が終わります。段落もあります。').kind).toBe('prose');
  });

  it.each([
    [
      'json',
      JSON.stringify(
        {
          users: [
            { id: 1, name: 'Ada' },
            { id: 2, name: 'Linus' },
          ],
        },
        null,
        2,
      ),
    ],
    ['jsonl', '{"id":1,"event":"login"}\n{"id":2,"event":"logout"}\n{"id":3,"event":"login"}\n'],
    ['csv', 'id,name,city\n1,Ada,London\n2,Linus,Helsinki\n3,Grace,Arlington\n'],
    ['tsv', 'id\tname\n1\tAda\n2\tLinus\n3\tGrace\n'],
    ['yaml', 'server:\n  port: 8080\n  host: localhost\nfeatures:\n  - search\n  - export\n'],
    [
      'log',
      '2024-05-01T10:00:01Z INFO server started\n2024-05-01T10:00:02Z WARN slow query\n2024-05-01T10:00:03Z ERROR timeout\n',
    ],
  ])('recognises %s as structured', (format, text) => {
    expect(analyzeContent(text)).toMatchObject({ kind: 'structured', format });
  });

  it('trusts a recognised file type over the content, in any spelling', () => {
    expect(analyzeContent(prose, 'notes.md')).toMatchObject({ kind: 'markdown', confidence: 0.95 });
    expect(analyzeContent('x = 1', '.py')).toMatchObject({ kind: 'code', language: 'python' });
    expect(analyzeContent('', 'text/x-go')).toMatchObject({ kind: 'code', language: 'go' });
    expect(analyzeContent('', 'application/vnd.api+json; charset=utf-8')).toMatchObject({ format: 'json' });
    expect(analyzeContent(codeSamples.rust, 'component.tsx')).toMatchObject({ language: 'tsx' });
  });

  it('falls back to the content when the file type says nothing', () => {
    expect(analyzeContent(codeSamples.go, 'text/plain')).toMatchObject({ kind: 'code', language: 'go' });
    expect(analyzeContent(markdown, 'README')).toMatchObject({ kind: 'markdown' });
  });

  it('tells TSX from TypeScript by JSX', () => {
    const tsx = `${codeSamples.typescript}\nexport const View = (props: { name: string }) => <div>{props.name}</div>;\n`;
    expect(analyzeContent(tsx)).toMatchObject({ kind: 'code', language: 'tsx' });
  });

  it('reads only the head of a huge document', () => {
    // 70 KB of Python, then 1 MB of markdown the analysis never reaches.
    const huge = `${codeSamples.python.repeat(110)}\n${'## Heading\n\n- item\n\n'.repeat(50_000)}`;
    expect(analyzeContent(huge)).toMatchObject({ kind: 'code', language: 'python' });
  });

  it('is sure of nothing for empty text, and always explains itself', () => {
    const analysis = analyzeContent('   \n ');
    expect(analysis).toMatchObject({ kind: 'prose', confidence: 0.5 });
    for (const text of [markdown, prose, codeSamples.java, '{"a":1}']) {
      const { reason, confidence } = analyzeContent(text);
      expect(reason.length).toBeGreaterThan(10);
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });
});
