import { sourceText } from '../load/corpus.ts';
import { seededRandom } from '../load/random.ts';

const MIN_DOCUMENT_CHARS = 2 * 1024;
const MAX_DOCUMENT_CHARS = 6 * 1024;

/**
 * The source text, read once per process: reading it walks the repository's folders (seconds),
 * which inside a timed load would be measured as the API's cost.
 */
let source: string | undefined;
export function corpusSource(): string {
  source ??= sourceText();
  return source;
}

export interface CorpusDocument {
  name: string;
  content: string;
}

/**
 * `count` documents of 2–6 KB (log-uniform) cut from the repository's own Markdown and TypeScript
 * (the load runs' corpus), each headed by its number so every one is distinct content. Seeded: the
 * same count gives the same documents.
 */
export function* ingestCorpus(count: number, seed = 42): Generator<CorpusDocument> {
  const text = corpusSource();
  const doubled = text + text;
  const random = seededRandom(seed);
  const logMin = Math.log(MIN_DOCUMENT_CHARS);
  const logSpan = Math.log(MAX_DOCUMENT_CHARS) - logMin;
  for (let index = 0; index < count; index += 1) {
    const size = Math.round(Math.exp(logMin + random() * logSpan));
    const start = text.indexOf('\n', Math.floor(random() * text.length)) + 1;
    const heading = `# Document ${index}\n\n`;
    yield { name: `doc-${index}.md`, content: heading + doubled.slice(start, start + size - heading.length) };
  }
}
