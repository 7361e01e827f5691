import { InvalidConfigError } from '@chunkflow/errors';
import { sampleOf } from '../analysis/analyze.ts';
import { guessCodeLanguage } from '../analysis/detect-language.ts';
import type { ChunkingStrategy, Sizer, Span, StrategyContext } from '../strategy.ts';
import {
  type CodeLanguage,
  codeLanguageNames,
  codeLanguages,
  resolveCodeLanguage,
} from './code-languages.ts';
import { packPieces } from './code-pack.ts';
import { initCodeParsers, loadedCodeParser } from './code-parsers.ts';
import { separatorCuts } from './code-separators.ts';
import { syntaxCuts } from './code-syntax.ts';

interface CodeOptions {
  chunkSize: number;
  chunkOverlap: number;
  /** Any spelling `resolveCodeLanguage` knows; detected from the text when absent. */
  language?: string;
}

/** How a chunk's boundaries were found: from a syntax tree, or from declaration separators. */
export type CodeSplitter = 'tree-sitter' | 'separators';

function languageOf(text: string, options: CodeOptions): CodeLanguage | undefined {
  if (options.language === undefined) return guessCodeLanguage(sampleOf(text))?.language;
  const language = resolveCodeLanguage(options.language);
  if (!language) {
    throw new InvalidConfigError(
      `Unsupported language "${options.language}"; expected one of ${codeLanguageNames.join(', ')}`,
      'language',
    );
  }
  return language;
}

function cutsFor(text: string, language: CodeLanguage | undefined, sizer: Sizer, maxSize: number) {
  const parser = language && loadedCodeParser(language);
  if (parser) return { splitter: 'tree-sitter' as const, cuts: syntaxCuts(parser, text, sizer, maxSize) };
  const declarations = language ? codeLanguages[language].declarationSeparators : [];
  return { splitter: 'separators' as const, cuts: separatorCuts(text, declarations, sizer, maxSize) };
}

function splitCode({ text, config, sizer }: StrategyContext<CodeOptions>): Span[] {
  const language = languageOf(text, config);
  const { splitter, cuts } = cutsFor(text, language, sizer, config.chunkSize);
  const metadata = { language: language ?? 'unknown', splitter };
  return packPieces(text, cuts, sizer, config.chunkSize, config.chunkOverlap).map((span) => ({
    ...span,
    metadata: { ...metadata },
  }));
}

/**
 * `code`: cuts source on syntax boundaries (functions, classes, blocks) from a tree-sitter parse,
 * merging neighbours up to the size and cutting oversize nodes between their children, down to
 * lines. `chunk()` is synchronous and parsers load asynchronously, so: `chunkAsync` (or a prior
 * `initCodeParsers()`) loads the parser, and without a loaded parser the split falls back to the
 * language's declaration separators. `metadata.splitter` tells which one ran.
 */
export const codeStrategy: ChunkingStrategy<CodeOptions> = {
  name: 'code',
  split: splitCode,
  async splitAsync(context) {
    const language = languageOf(context.text, context.config);
    if (language) await initCodeParsers([language]);
    return splitCode(context);
  },
};
