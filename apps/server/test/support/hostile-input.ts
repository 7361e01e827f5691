import fc from 'fast-check';

/** Strings that break naive code: lone surrogates, NULs, bidi marks, regex syntax, big sizes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }), weight: 6 },
  {
    arbitrary: fc.constantFrom('\uD800', '\uDFFF', 'a\uDC00b', '\uD83D', '\u0000', '\u202E', '\uFEFF', ''),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      '(a+)+$',
      '([a-z]+)*$',
      '[',
      '\\',
      '.*.*.*=.*',
      '(?<=',
      '\\p{',
      '$&',
      '(a|aa)+',
      '^|$',
    ),
    weight: 3,
  },
  // Up to 600k chars of lone surrogates: ~2 MB of escaped JSON, so several fit under the body limit.
  { arbitrary: fc.integer({ min: 1, max: 3 }).map((units) => '\uD800x'.repeat(units * 100_000)), weight: 1 },
);

/** Any JSON value, its strings hostile. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A config with keys no strategy knows and separators written as regular expressions. */
export const hostileConfig: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(hostileString, hostileJson, { maxKeys: 5 }),
  fc.record(
    {
      chunkSize: fc.oneof(fc.integer({ min: -10, max: 2_000_000_000 }), hostileJson),
      chunkOverlap: fc.oneof(fc.integer({ min: -10, max: 5000 }), hostileJson),
      sizeUnit: fc.oneof(fc.constantFrom('chars', 'tokens', 'bytes'), hostileString),
      tokenizer: fc.oneof(fc.constantFrom('cl100k_base', 'o200k_base', 'gpt2'), hostileString),
      separators: fc.array(hostileString, { maxLength: 6 }),
      levels: fc.array(fc.integer({ min: -5, max: 100_000 }), { maxLength: 5 }),
      headingLevels: hostileJson,
      language: hostileString,
      similarityThreshold: fc.double(),
      embedder: hostileJson,
      notAKey: hostileJson,
    },
    { requiredKeys: [] },
  ),
);

const strategyName = fc.oneof(
  fc.constantFrom('fixed', 'recursive', 'markdown', 'sentence', 'code', 'semantic', 'hierarchical', 'hybrid'),
  fc.constantFrom(
    'fixed_size',
    'character',
    'sliding_window',
    'document_structure',
    'constructor',
    '__proto__',
  ),
  hostileString,
);

/**
 * Inputs shaped like the procedures' own (the field names they read) with hostile values: some are
 * valid, most not. For procedures that only read or compute.
 */
export const procedureShapedInput: fc.Arbitrary<unknown> = fc.oneof(
  hostileJson,
  fc.record(
    {
      content: fc.oneof(hostileString, hostileJson),
      strategy: strategyName,
      config: hostileConfig,
      maxChunks: fc.oneof(fc.integer({ min: -1, max: 20_000 }), hostileJson),
      documentId: fc.oneof(fc.uuid(), hostileString),
      collectionId: fc.oneof(fc.uuid(), hostileString),
      id: fc.oneof(fc.uuid(), hostileString),
      previewId: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), hostileString),
      strategies: fc.array(fc.record({ strategy: strategyName, config: hostileConfig }), { maxLength: 8 }),
      sampleSize: hostileJson,
      fileType: hostileString,
      cursor: hostileString,
      limit: fc.oneof(fc.integer({ min: -5, max: 1000 }), hostileJson),
      lastEventId: hostileString,
    },
    { requiredKeys: [] },
  ),
);

/** Every field any procedure reads, each of a type it never accepts (an object), so no write can pass. */
const FIELDS = [
  'name',
  'description',
  'content',
  'contentType',
  'strategy',
  'documentId',
  'documentIds',
  'collectionId',
  'id',
  'previewId',
  'priority',
  'strategies',
  'cursor',
  'limit',
  'status',
  'maxChunks',
];

export const invalidInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(
    hostileString,
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostileJson, { maxLength: 3 }),
  ),
  fc
    .record({
      poison: hostileJson,
      config: hostileConfig,
      metadata: fc.dictionary(hostileString, hostileJson, { maxKeys: 3 }),
    })
    .map(({ poison, config, metadata }) => ({
      ...Object.fromEntries(FIELDS.map((field) => [field, { poison }])),
      config,
      metadata,
    })),
);

/** Request bodies that are not JSON, or JSON no parser should have to take: broken, truncated, too deep. */
export const malformedBody: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom(
    '{"json":',
    '{"json":{"content":"a',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'NaN',
    '{"__proto__":',
    '\u0000',
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1000, max: 200_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Uint8Array.from([0xff, 0xfe, ...bytes])),
);
