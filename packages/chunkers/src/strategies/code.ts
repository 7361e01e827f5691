import { InvalidConfigError } from '@chunkflow/errors';
import type { Parser } from '@vscode/tree-sitter-wasm';
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
import { bodyIndent, codeRegions, indentedUnits, isOneLine, type Region } from './code-regions.ts';
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

/** Offsets just after each blank line (`\n\n`) in [from, to): paragraph starts. */
function paragraphStarts(text: string, from: number, to: number, into: number[]): void {
  // Searched in the range alone: a region without a blank line costs itself, not the rest of the text.
  const range = text.slice(from, to);
  for (let at = range.indexOf('\n\n'); at >= 0 && at + 2 < range.length; at = range.indexOf('\n\n', at + 1)) {
    into.push(from + at + 2);
  }
}

/** Nesting levels a unit is cut into by indentation before it is parsed instead. */
const MAX_UNIT_DEPTH = 4;

/** Appends `cuts` (ascending) after what `into` holds, keeping it strictly ascending. */
function append(into: number[], cuts: Iterable<number>): void {
  for (const cut of cuts) if (cut > (into[into.length - 1] ?? 0)) into.push(cut);
}

/**
 * Cut candidates: in the regions that read as code, the start of each top-level unit and, inside
 * a unit larger than the size, its syntax cuts (the unit parsed alone), or the declaration
 * separators' where the parse meets an error; paragraph starts in prose. Undefined when no code
 * region was split on syntax.
 */
function regionCuts(
  parser: Parser,
  { text, config, sizer }: StrategyContext<CodeConfig>,
  declarations: readonly string[],
): Int32Array | undefined {
  const cuts: number[] = [];
  let parsed = false;
  // A unit too large for one chunk is first cut into the units of its body's indentation (a
  // class into members, a function into statements), each cut the same way; only a unit with no
  // such structure goes to the parser, so well-laid-out code is mostly never parsed.
  const cutUnit = (unit: Region, depth: number, outer: number): void => {
    append(cuts, [unit.start]);
    // Syntax cuts land at line starts only, so a unit of one line has none to find.
    if (sizer.measure(unit.start, unit.end) <= config.chunkSize || isOneLine(text, unit)) {
      parsed = true;
      return;
    }
    const indent = depth < MAX_UNIT_DEPTH ? bodyIndent(text, unit, outer) : -1;
    const inner = indent > 0 ? indentedUnits(text, unit, indent) : [];
    if (inner.length > 1) {
      for (const part of inner) cutUnit(part, depth + 1, indent);
      return;
    }
    const syntax = syntaxCuts(parser, text, unit, sizer, config.chunkSize);
    if (syntax !== undefined) parsed = true;
    append(cuts, syntax ?? declarationStarts(text, declarations, unit.start, unit.end));
  };
  for (const region of codeRegions(text)) {
    append(cuts, [region.start]);
    if (!region.code) {
      const starts: number[] = [];
      paragraphStarts(text, region.start, region.end, starts);
      append(cuts, starts);
      continue;
    }
    for (const unit of indentedUnits(text, region, 0)) cutUnit(unit, 0, 0);
  }
  return parsed ? Int32Array.from(cuts) : undefined;
}

/** Preferred cut points first; below them blank lines, lines and spaces, then anywhere. */
function boundaryLevels(context: StrategyContext<CodeConfig>, language: CodeLanguage | undefined) {
  const { text } = context;
  const parser = language && loadedCodeParser(language);
  const declarations = language ? codeLanguages[language].declarationSeparators : [];
  const generic = (separators: string[]): BoundarySet[] =>
    separators.map((s) => new SeparatorBoundaries(text, s));
  const cuts = parser ? regionCuts(parser, context, declarations) : undefined;
  if (cuts) {
    return {
      splitter: 'tree-sitter' as const,
      levels: [new SortedBoundaries(cuts), ...generic(['\n', ' '])],
    };
  }
  return {
    splitter: 'separators' as const,
    levels: [
      new SortedBoundaries(Int32Array.from(declarationStarts(text, declarations, 0, text.length))),
      ...generic(['\n\n', '\n', ' ']),
    ],
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
export const codeStrategy: StrategyDefinition<CodeConfig, typeof options, never> = {
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
