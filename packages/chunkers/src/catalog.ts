import { type ChunkingConfig, normalizeConfig } from './config.ts';
import { type StrategyName, strategyNames } from './types.ts';

export interface StrategyInfo {
  name: StrategyName;
  description: string;
  bestFor: string[];
  /** The normalised config `chunk()` uses when only `{ strategy: name }` is given. */
  defaultConfig: ChunkingConfig;
}

const descriptions: Record<StrategyName, { description: string; bestFor: string[] }> = {
  fixed: {
    description:
      'Sliding windows of exactly chunkSize (chars or tokens) with chunkOverlap; ignores structure.',
    bestFor: ['uniform token budgets', 'logs', 'text without structure'],
  },
  recursive: {
    description:
      'Splits on a separator hierarchy (paragraphs, lines, sentences, words, characters) and packs pieces up to chunkSize, overlapping whole pieces.',
    bestFor: ['general prose', 'mixed documents', 'a sound default'],
  },
  markdown: {
    description:
      'One section per heading (headingLevels); never cuts inside a code fence or table row unless it alone exceeds chunkSize; metadata.headings holds the heading path.',
    bestFor: ['Markdown', 'documentation', 'READMEs'],
  },
  sentence: {
    description:
      'Packs whole sentences (Intl.Segmenter, any language) up to chunkSize with sentence-level overlap.',
    bestFor: ['prose', 'multilingual text', 'question answering'],
  },
  code: {
    description:
      'Cuts source code on syntax boundaries (functions, classes, blocks) for the detected or given language.',
    bestFor: ['source files', 'TypeScript, JavaScript, Python, Go, Rust, Java'],
  },
  semantic: {
    description:
      'Cuts where the embedding similarity of neighbouring sentence windows drops below similarityThreshold.',
    bestFor: ['long prose with topic shifts', 'transcripts', 'articles'],
  },
  hierarchical: {
    description:
      'Parent chunks of levels[0] split into children of the next levels, linked by metadata.parentIndex.',
    bestFor: ['small-to-big retrieval', 'long reports', 'books'],
  },
  hybrid: {
    description:
      'Analyses the document (markdown, code, prose, structured) and picks the strategy and config for it.',
    bestFor: ['collections of mixed file types', 'unknown content'],
  },
};

/** The strategy catalog served by `chunking.strategies`. */
export function listStrategies(): StrategyInfo[] {
  return strategyNames.map((name) => ({
    name,
    ...descriptions[name],
    defaultConfig: normalizeConfig({ strategy: name }),
  }));
}
