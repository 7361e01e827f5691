import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, zipfPicker } from './random.ts';

const repositoryRoot = join(import.meta.dirname, '../../..');
const MIN_DOCUMENT_CHARS = 1024;
const MAX_DOCUMENT_CHARS = 100 * 1024;

/** Real prose and code to cut documents from: the repository's Markdown and TypeScript sources. */
export function sourceText(): string {
  const files: string[] = ['README.md'];
  for (const entry of readdirSync(join(repositoryRoot, 'docs'))) {
    if (entry.endsWith('.md')) files.push(join('docs', entry));
  }
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(repositoryRoot, group), { recursive: true, encoding: 'utf8' })) {
      if (entry.includes('node_modules') || entry.includes('generated')) continue;
      if (/\/src\/.*\.(ts|md)$/.test(entry) || /^[^/]+\/README\.md$/.test(entry))
        files.push(join(group, entry));
    }
  }
  return files
    .sort()
    .map((file) => readFileSync(join(repositoryRoot, file), 'utf8'))
    .join('\n\n');
}

export interface PreviewVariant {
  strategy: string;
  config: Record<string, unknown>;
}

/** The strategies a person tries on one document (chars and tokens, structure-aware and not). */
export const PREVIEW_VARIANTS: PreviewVariant[] = [
  { strategy: 'recursive', config: { chunkSize: 1000, chunkOverlap: 200 } },
  { strategy: 'markdown', config: { chunkSize: 512, chunkOverlap: 0, sizeUnit: 'tokens' } },
  { strategy: 'fixed', config: { chunkSize: 256, chunkOverlap: 32, sizeUnit: 'tokens' } },
  { strategy: 'sentence', config: { chunkSize: 800, chunkOverlap: 100 } },
];

export interface CorpusOptions {
  documents: number;
  /** Share of previews whose content nobody sent before (a cache miss by construction). */
  novelShare: number;
  seed: number;
}

export interface PreviewRequest {
  content: string;
  strategy: string;
  config: Record<string, unknown>;
}

/**
 * Documents of 1–100 KB (log-uniform sizes) cut from real text, and a stream of preview requests
 * over them: (document, strategy) pairs by Zipf popularity, plus a share of never-seen documents.
 */
export class Corpus {
  readonly documents: string[];
  readonly #source: string;
  /** Cuts wrap past the source's end: the doubled text is made once, as building it per cut
   * flattened megabytes each time (load-generator CPU taken from the server under test). */
  readonly #doubled: string;
  readonly #random: () => number;
  readonly #pickPopular: () => number;
  readonly #novelShare: number;
  #novelCount = 0;
  /** The same object for a pair asked again, so what is sent can be kept per request (scenarios.ts). */
  readonly #popular = new Map<number, PreviewRequest>();

  constructor(options: CorpusOptions) {
    this.#source = sourceText();
    this.#doubled = this.#source + this.#source;
    this.#random = seededRandom(options.seed);
    this.#novelShare = options.novelShare;
    this.documents = Array.from({ length: options.documents }, (_, index) => this.#cut(`Document ${index}`));
    this.#pickPopular = zipfPicker(options.documents * PREVIEW_VARIANTS.length, this.#random);
  }

  nextPreview(): PreviewRequest {
    if (this.#random() < this.#novelShare) {
      this.#novelCount += 1;
      return { content: this.#cut(`New document ${this.#novelCount}`), ...this.#variant(this.#random()) };
    }
    const pair = this.#pickPopular();
    let request = this.#popular.get(pair);
    if (request === undefined) {
      const content = this.documents[pair % this.documents.length] as string;
      request = {
        content,
        ...(PREVIEW_VARIANTS[Math.floor(pair / this.documents.length)] as PreviewVariant),
      };
      this.#popular.set(pair, request);
    }
    return request;
  }

  #variant(random: number): PreviewVariant {
    return PREVIEW_VARIANTS[Math.floor(random * PREVIEW_VARIANTS.length)] as PreviewVariant;
  }

  #cut(title: string): string {
    const logMin = Math.log(MIN_DOCUMENT_CHARS);
    const size = Math.round(Math.exp(logMin + this.#random() * (Math.log(MAX_DOCUMENT_CHARS) - logMin)));
    const lineStart = this.#source.indexOf('\n', Math.floor(this.#random() * this.#source.length)) + 1;
    const heading = `# ${title}\n\n`;
    return heading + this.#doubled.slice(lineStart, lineStart + size - heading.length);
  }
}
