import { InvalidConfigError } from '@chunkflow/errors';
import { z } from 'zod';
import { type EmbedderSpec, embedderSpecSchema } from './embedders/spec.ts';
import { type SizeUnit, type StrategyName, strategyNames, type TokenizerName } from './types.ts';

/**
 * Smallest size any chunk may be given: 4 holds any code point in either unit (a surrogate pair is
 * 2 UTF-16 units; a code point is at most 4 UTF-8 bytes, hence at most 4 byte-level BPE tokens).
 */
export const MIN_CHUNK_SIZE = 4;
export const MAX_CHUNK_SIZE = 1_000_000;

export const strategyAliases = {
  fixed_size: 'fixed',
  character: 'fixed',
  sliding_window: 'fixed',
  document_structure: 'markdown',
} as const satisfies Record<string, StrategyName>;

const acceptedStrategyNames = [
  ...strategyNames,
  ...(Object.keys(strategyAliases) as (keyof typeof strategyAliases)[]),
];

const size = z.number().int().min(MIN_CHUNK_SIZE).max(MAX_CHUNK_SIZE);

/** Config keys besides `strategy`; the API reuses it for a request's optional `config`. */
export const chunkingOptionsInputSchema = z.strictObject({
  chunkSize: size.optional().describe('Largest chunk, in `sizeUnit`'),
  chunkOverlap: z
    .number()
    .int()
    .min(0)
    .max(MAX_CHUNK_SIZE)
    .optional()
    .describe('Most shared between neighbours; < chunkSize'),
  sizeUnit: z.enum(['chars', 'tokens']).optional().describe('chars = UTF-16 code units (JS string length)'),
  tokenizer: z.enum(['cl100k_base', 'o200k_base']).optional(),
  separators: z
    .array(z.string().max(64))
    .min(1)
    .max(32)
    .optional()
    .describe('recursive: separator hierarchy'),
  headingLevels: z.array(z.number().int().min(1).max(6)).min(1).max(6).optional().describe('markdown'),
  language: z.string().min(1).max(32).optional().describe('code: language, detected when absent'),
  similarityThreshold: z.number().min(-1).max(1).optional().describe('semantic: cut below this cosine'),
  embedder: embedderSpecSchema.optional().describe('semantic'),
  levels: z.array(size).min(1).max(4).optional().describe('hierarchical: parent → child sizes, descending'),
});
export type ChunkingOptionsInput = z.input<typeof chunkingOptionsInputSchema>;

/** What `chunk()` accepts: a strategy (or alias) and options; normalised by `normalizeConfig`. */
export const chunkingConfigInputSchema = chunkingOptionsInputSchema.extend({
  strategy: z.enum(acceptedStrategyNames),
});
export type ChunkingConfigInput = z.input<typeof chunkingConfigInputSchema>;

type SpecificKey =
  | 'separators'
  | 'headingLevels'
  | 'language'
  | 'similarityThreshold'
  | 'embedder'
  | 'levels';

/** Which strategy-specific keys each strategy accepts (hybrid forwards them to the one it picks). */
const specificKeys: Record<StrategyName, readonly SpecificKey[]> = {
  fixed: [],
  recursive: ['separators'],
  markdown: ['headingLevels'],
  sentence: [],
  code: ['language'],
  semantic: ['similarityThreshold', 'embedder'],
  hierarchical: ['levels'],
  hybrid: ['separators', 'headingLevels', 'language', 'similarityThreshold', 'embedder'],
};

const commonKeys = ['chunkSize', 'chunkOverlap', 'sizeUnit', 'tokenizer'] as const;

/**
 * The options one strategy accepts, as a zod schema: the common keys and its own, the keys
 * `normalizeConfig` lets through for it. Clients turn it into a form (`chunking.strategies`).
 */
export function strategyOptionsSchema(strategy: StrategyName) {
  const keys = [...commonKeys, ...specificKeys[strategy]];
  return chunkingOptionsInputSchema.pick(
    Object.fromEntries(keys.map((key) => [key, true])) as Record<(typeof keys)[number], true>,
  );
}

export interface CommonConfig {
  chunkSize: number;
  chunkOverlap: number;
  sizeUnit: SizeUnit;
  tokenizer: TokenizerName;
}
export interface FixedConfig extends CommonConfig {
  strategy: 'fixed';
}
export interface RecursiveConfig extends CommonConfig {
  strategy: 'recursive';
  /** Tried in order; `''` means "between any two characters". */
  separators: string[];
}
export interface MarkdownConfig extends CommonConfig {
  strategy: 'markdown';
  /** ATX heading levels that start a new section. */
  headingLevels: number[];
}
export interface SentenceConfig extends CommonConfig {
  strategy: 'sentence';
}
export interface CodeConfig extends CommonConfig {
  strategy: 'code';
  language?: string;
}
export interface SemanticConfig extends CommonConfig {
  strategy: 'semantic';
  similarityThreshold: number;
  embedder: EmbedderSpec;
}
export interface HierarchicalConfig extends CommonConfig {
  strategy: 'hierarchical';
  /** Sizes from parent to child, strictly descending; `chunkSize` equals `levels[0]`. */
  levels: number[];
}
export interface HybridConfig extends CommonConfig {
  strategy: 'hybrid';
  separators?: string[];
  headingLevels?: number[];
  language?: string;
  similarityThreshold?: number;
  embedder?: EmbedderSpec;
}

export type ChunkingConfig =
  | FixedConfig
  | RecursiveConfig
  | MarkdownConfig
  | SentenceConfig
  | CodeConfig
  | SemanticConfig
  | HierarchicalConfig
  | HybridConfig;
export type ConfigFor<S extends StrategyName> = Extract<ChunkingConfig, { strategy: S }>;

/** Paragraphs (LF, then CRLF) → lines → sentences (Latin and CJK) → words → characters. */
export const DEFAULT_SEPARATORS: readonly string[] = [
  '\n\n',
  '\r\n\r\n',
  '\n',
  '. ',
  '? ',
  '! ',
  '。',
  '？',
  '！',
  ' ',
  '',
];
export const DEFAULT_HEADING_LEVELS: readonly number[] = [1, 2, 3];
export const DEFAULT_SIMILARITY_THRESHOLD = 0.5;
const DEFAULT_CHUNK_SIZE: Record<SizeUnit, number> = { chars: 1000, tokens: 256 };
/** Default overlap is a fifth of the size (1000 → 200 chars, 256 → 51 tokens). */
const DEFAULT_OVERLAP_RATIO = 0.2;

function invalid(message: string, field: string): never {
  throw new InvalidConfigError(message, field);
}

function firstIssue(error: z.ZodError): never {
  const issue = error.issues[0];
  if (issue === undefined) invalid('Invalid chunking config', 'config');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? 'config';
    invalid(`Unknown config key "${key}"`, key);
  }
  const field = issue.path.length > 0 ? issue.path.join('.') : 'config';
  invalid(`Invalid ${field}: ${issue.message}`, field);
}

export function normalizeStrategyName(name: string): StrategyName {
  if ((strategyNames as readonly string[]).includes(name)) return name as StrategyName;
  const alias = strategyAliases[name as keyof typeof strategyAliases];
  if (alias === undefined) {
    invalid(`Unknown strategy "${name}"; expected one of ${acceptedStrategyNames.join(', ')}`, 'strategy');
  }
  return alias;
}

function resolveLevels(input: ChunkingConfigInput, chunkSize: number): number[] {
  const levels = input.levels ?? [chunkSize, Math.max(MIN_CHUNK_SIZE, Math.floor(chunkSize / 4))];
  for (let i = 1; i < levels.length; i++) {
    if ((levels[i] as number) >= (levels[i - 1] as number))
      invalid('levels must be strictly descending', 'levels');
  }
  if (input.chunkSize !== undefined && input.levels !== undefined && input.chunkSize !== levels[0]) {
    invalid('chunkSize must equal levels[0] (the parent size) when both are given', 'chunkSize');
  }
  return levels;
}

/**
 * Validates a config and fills in defaults, so every strategy receives a complete, checked
 * config. Errors are InvalidConfigError naming the offending field.
 */
export function normalizeConfig(input: unknown): ChunkingConfig {
  if (
    typeof input === 'object' &&
    input !== null &&
    'strategy' in input &&
    typeof input.strategy === 'string'
  ) {
    normalizeStrategyName(input.strategy); // a clear message for unknown names before zod's generic one
  }
  const parsed = chunkingConfigInputSchema.safeParse(input);
  if (!parsed.success) firstIssue(parsed.error);
  const raw = parsed.data;
  const strategy = normalizeStrategyName(raw.strategy);

  const allowed = specificKeys[strategy];
  for (const key of [
    'separators',
    'headingLevels',
    'language',
    'similarityThreshold',
    'embedder',
    'levels',
  ] as const) {
    if (raw[key] !== undefined && !allowed.includes(key)) {
      invalid(`"${key}" does not apply to the ${strategy} strategy`, key);
    }
  }

  const sizeUnit = raw.sizeUnit ?? 'chars';
  const requestedSize = raw.chunkSize ?? raw.levels?.[0] ?? DEFAULT_CHUNK_SIZE[sizeUnit];
  const levels = strategy === 'hierarchical' ? resolveLevels(raw, requestedSize) : undefined;
  const chunkSize = levels?.[0] ?? requestedSize;
  const smallestSize = levels?.[levels.length - 1] ?? chunkSize;
  const chunkOverlap = raw.chunkOverlap ?? Math.floor(chunkSize * DEFAULT_OVERLAP_RATIO);
  if (chunkOverlap >= smallestSize) {
    invalid(
      `chunkOverlap (${chunkOverlap}) must be smaller than the chunk size (${smallestSize})`,
      'chunkOverlap',
    );
  }
  const common: CommonConfig = {
    chunkSize,
    chunkOverlap,
    sizeUnit,
    tokenizer: raw.tokenizer ?? 'cl100k_base',
  };

  switch (strategy) {
    case 'recursive':
      return { strategy, ...common, separators: raw.separators ?? [...DEFAULT_SEPARATORS] };
    case 'markdown':
      return {
        strategy,
        ...common,
        headingLevels: [...new Set(raw.headingLevels ?? DEFAULT_HEADING_LEVELS)].sort((a, b) => a - b),
      };
    case 'code':
      return raw.language === undefined
        ? { strategy, ...common }
        : { strategy, ...common, language: raw.language };
    case 'semantic':
      return {
        strategy,
        ...common,
        similarityThreshold: raw.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD,
        embedder: raw.embedder ?? { provider: 'hashing' },
      };
    case 'hierarchical':
      return { strategy, ...common, levels: levels ?? [chunkSize] };
    case 'hybrid': {
      const { separators, headingLevels, language, similarityThreshold, embedder } = raw;
      return {
        strategy,
        ...common,
        ...(separators && { separators }),
        ...(headingLevels && { headingLevels }),
        ...(language !== undefined && { language }),
        ...(similarityThreshold !== undefined && { similarityThreshold }),
        ...(embedder && { embedder }),
      };
    }
    default:
      return { strategy, ...common };
  }
}
