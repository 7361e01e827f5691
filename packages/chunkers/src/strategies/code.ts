import { InvalidConfigError } from '@chunkflow/errors';
import { z } from 'zod';
import { sampleOf } from '../analysis/analyze.ts';
import { guessCodeLanguage } from '../analysis/detect-language.ts';
import { type BoundarySet, SeparatorBoundaries, SortedBoundaries } from '../engine/boundaries.ts';
import { packRange } from '../engine/pack.ts';
import type { CommonConfig, Span, StrategyContext, StrategyDefinition } from '../strategy.ts';
import {
  type CodeLanguage,
  codeLanguageNames,
  codeLanguages,
  resolveCodeLanguage,
} from './code-languages.ts';
import { initCodeParsers, loadedCodeParser } from './code-parsers.ts';
import { declarationStarts } from './code-separators.ts';
import { syntaxCuts } from './code-syntax.ts';

export interface CodeConfig extends CommonConfig {
  strategy: 'code';
  language?: string;
}

const options = {
  language: z.string().min(1).max(32).optional().describe('code: language, detected when absent'),
};

/** How a chunk's boundaries were found: from a syntax tree, or from declaration separators. */
export type CodeSplitter = 'tree-sitter' | 'separators';

function languageOf(text: string, config: CodeConfig): CodeLanguage | undefined {
  if (config.language === undefined) return guessCodeLanguage(sampleOf(text))?.language;
  const language = resolveCodeLanguage(config.language);
  if (!language) {
    throw new InvalidConfigError(
      `Unsupported language "${config.language}"; expected one of ${codeLanguageNames.join(', ')}`,
      'language',
    );
  }
  return language;
}

/** Preferred cut points first; below them blank lines, lines and spaces, then anywhere. */
function boundaryLevels(
  { text, config, sizer }: StrategyContext<CodeConfig>,
  language: CodeLanguage | undefined,
) {
  const parser = language && loadedCodeParser(language);
  const generic = (separators: string[]): BoundarySet[] =>
    separators.map((s) => new SeparatorBoundaries(text, s));
  if (parser) {
    const cuts = syntaxCuts(parser, text, sizer, config.chunkSize);
    return {
      splitter: 'tree-sitter' as const,
      levels: [new SortedBoundaries(cuts), ...generic(['\n', ' '])],
    };
  }
  const declarations = language ? codeLanguages[language].declarationSeparators : [];
  return {
    splitter: 'separators' as const,
    levels: [new SortedBoundaries(declarationStarts(text, declarations)), ...generic(['\n\n', '\n', ' '])],
  };
}

function splitCode(context: StrategyContext<CodeConfig>): Span[] {
  const { text, config, sizer, meter } = context;
  const language = languageOf(text, config);
  const { splitter, levels } = boundaryLevels(context, language);
  const spans = packRange(text, sizer, 0, text.length, {
    chunkSize: config.chunkSize,
    chunkOverlap: config.chunkOverlap,
    levels,
    overlapLevels: 1,
    trim: true,
    meter,
  });
  for (const span of spans) span.metadata = { language: language ?? 'unknown', splitter };
  return spans;
}

/**
 * `code`: cuts source on syntax boundaries (functions, classes, blocks) from a tree-sitter parse,
 * merging neighbours up to the size and cutting oversize nodes between their children, then at
 * lines. `chunk()` is synchronous and parsers load asynchronously, so: `chunkAsync` (or a prior
 * `initCodeParsers()`) loads the parser, and without a loaded parser the split falls back to the
 * language's declaration separators. `metadata.splitter` tells which one ran.
 */
export const codeStrategy: StrategyDefinition<CodeConfig, typeof options> = {
  name: 'code',
  aliases: [],
  description:
    'Cuts source code on syntax boundaries (functions, classes, blocks) for the detected or given language.',
  bestFor: ['source files', 'TypeScript, JavaScript, Python, Go, Rust, Java'],
  options,
  normalize: ({ language }) => (language === undefined ? {} : { language }),
  split: splitCode,
  async splitAsync(context) {
    const language = languageOf(context.text, context.config);
    if (language) await initCodeParsers([language]);
    return splitCode(context);
  },
};
