import { InvalidConfigError } from '@chunkflow/errors';
import { z } from 'zod';
import { commonOptions } from './options.ts';
import { DEFAULT_TOKENIZER } from './sizing/encodings.ts';
import { hfTokenizer, isHfTokenizerName } from './sizing/hf-tokenizers.ts';
import {
  type ChunkingConfig,
  type StrategyName,
  type StrategyRegistry,
  strategyDefinitions,
  strategyNames,
  strategyRegistry,
} from './strategies/index.ts';
import type { StrategyDefinition } from './strategy.ts';
import type { SizeUnit } from './types.ts';

export { BPE_TOKENIZERS, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE } from './options.ts';

/** Other names a config may give a strategy by, from each strategy's `aliases`. */
export const strategyAliases: Readonly<Record<string, StrategyName>> = Object.fromEntries(
  strategyDefinitions.flatMap(({ name, aliases }) => aliases.map((alias) => [alias, name])),
);

const acceptedStrategyNames = [...strategyNames, ...Object.keys(strategyAliases)];

// The type of all strategies' own fields together, so the config schema types every key.
type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (
  intersection: infer I,
) => void
  ? I
  : never;
type OwnOptions = UnionToIntersection<(typeof strategyDefinitions)[number]['options']>;

/** Every strategy's own keys, in list order (hybrid's, which are others', once). */
const ownOptions = Object.assign({}, ...strategyDefinitions.map(({ options }) => options)) as OwnOptions;
const ownKeys = Object.keys(ownOptions);

/** Config keys besides `strategy`; the API reuses it for a request's optional `config`. */
export const chunkingOptionsInputSchema = z.strictObject({ ...commonOptions, ...ownOptions });
export type ChunkingOptionsInput = z.input<typeof chunkingOptionsInputSchema>;

/** What `chunk()` accepts: a strategy (or alias) and options; normalised by `normalizeConfig`. */
export const chunkingConfigInputSchema = chunkingOptionsInputSchema.extend({
  strategy: z.enum(acceptedStrategyNames),
});
export type ChunkingConfigInput = z.input<typeof chunkingConfigInputSchema>;

/** What a config's `strategy` may say: a strategy's name or one of its aliases. */
export type StrategyNameInput = StrategyChoiceInput['strategy'];

/** The config keys besides `strategy` that strategy `S` accepts, as a caller writes them. */
export type StrategyOptionsInput<S extends StrategyName> =
  StrategyRegistry[S]['options'] extends infer Own extends z.core.$ZodShape
    ? z.input<z.ZodObject<typeof commonOptions & Own, z.core.$strict>>
    : never;

/** A strategy, by name or alias, with the config keys that strategy accepts (what normalizeConfig lets through). */
export type StrategyChoiceInput = {
  [S in StrategyName]: {
    strategy: S | StrategyRegistry[S]['aliases'][number];
    config?: StrategyOptionsInput<S>;
  };
}[StrategyName];

/**
 * The options one strategy accepts, as a zod schema: the common keys and its own, the keys
 * `normalizeConfig` lets through for it. Clients turn it into a form (`chunking.strategies`).
 */
export function strategyOptionsSchema(strategy: StrategyName) {
  return z.strictObject({ ...commonOptions, ...strategyRegistry[strategy].options });
}

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
  const alias = strategyAliases[name];
  if (alias === undefined) {
    invalid(`Unknown strategy "${name}"; expected one of ${acceptedStrategyNames.join(', ')}`, 'strategy');
  }
  return alias;
}

declare const normalized: unique symbol;

/**
 * A config `normalizeConfig` produced: checked and complete, so the engine runs it as it is
 * (`chunkNormalizedAsync`). The brand exists only in types: a normalised config sent to a worker
 * thread arrives as a structured clone, which keeps every value and would lose any runtime mark.
 */
export type NormalizedConfig = ChunkingConfig & { readonly [normalized]: true };

/**
 * Validates a config and fills in defaults, so every strategy receives a complete, checked
 * config. Errors are InvalidConfigError naming the offending field.
 */
export function normalizeConfig(input: unknown): NormalizedConfig {
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
  const {
    strategy: name,
    chunkSize,
    chunkOverlap,
    sizeUnit = 'chars',
    tokenizer = DEFAULT_TOKENIZER,
    minChunkSize = 0,
    embedTemplate = 'title-headings',
    embedSizeLimit = 'content',
    ...own
  } = parsed.data;
  // Seen as any strategy: its own checks and defaults run on the keys validated above.
  const definition: StrategyDefinition = strategyRegistry[normalizeStrategyName(name)];
  for (const key of ownKeys) {
    if (own[key as keyof typeof own] !== undefined && !(key in definition.options)) {
      invalid(`"${key}" does not apply to the ${definition.name} strategy`, key);
    }
  }

  const defaultSize = DEFAULT_CHUNK_SIZE[sizeUnit];
  const sizes = definition.sizes?.(own, chunkSize, defaultSize) ?? [chunkSize ?? defaultSize];
  const size = sizes[0] as number;
  const smallestSize = sizes[sizes.length - 1] as number;
  const overlap = chunkOverlap ?? Math.floor(size * DEFAULT_OVERLAP_RATIO);
  if (overlap >= smallestSize) {
    invalid(
      `chunkOverlap (${overlap}) must be smaller than the chunk size (${smallestSize})`,
      'chunkOverlap',
    );
  }
  if (minChunkSize > 0 && minChunkSize >= smallestSize) {
    invalid(
      `minChunkSize (${minChunkSize}) must be smaller than the chunk size (${smallestSize})`,
      'minChunkSize',
    );
  }
  // An `hf:` name is checked where the config is normalised (the request's thread): a name the
  // tokenizer folder does not hold is refused there, typed, before any work is queued.
  if (isHfTokenizerName(tokenizer)) hfTokenizer(tokenizer);
  if (embedSizeLimit === 'embedText' && sizes.length > 1) {
    invalid(`embedSizeLimit "embedText" does not apply to the ${definition.name} strategy`, 'embedSizeLimit');
  }
  return {
    strategy: definition.name,
    chunkSize: size,
    chunkOverlap: overlap,
    sizeUnit,
    tokenizer,
    minChunkSize,
    embedTemplate,
    embedSizeLimit,
    ...definition.normalize(own, sizes),
  } as NormalizedConfig;
}
