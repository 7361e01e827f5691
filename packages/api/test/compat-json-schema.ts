/** A JSON Schema node as zod and trpc-to-openapi emit them: plain JSON, compared structurally. */
export type JsonSchema = { [key: string]: unknown };

export const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolvePointer(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const token of ref.slice(1).split('/').filter(Boolean)) {
    node = isSchema(node) ? node[token.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  if (!isSchema(node)) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

/**
 * Inlines every local `$ref`, so two documents compare by shape, not by the generated names of
 * their components (`__schema0` shifts when a schema is added). A reference back into itself
 * (z.json()'s recursion) becomes `{}`: past one level, a recursive value is "any JSON".
 */
export function dereference(node: unknown, root: JsonSchema, open: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => dereference(item, root, open));
  if (!isSchema(node)) return node;
  const { $ref, ...siblings } = node;
  if (typeof $ref === 'string') {
    if (open.includes($ref)) return dereference(siblings, root, open);
    const target = dereference(resolvePointer(root, $ref), root, [...open, $ref]);
    return { ...(isSchema(target) ? target : {}), ...(dereference(siblings, root, open) as JsonSchema) };
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== '$defs' && key !== 'definitions')
      .map(([key, value]) => [key, dereference(value, root, open)]),
  );
}

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** A schema node reduced to what compatibility depends on. `types` undefined means "anything". */
export interface SchemaFacts {
  types: Set<JsonType> | undefined;
  /** Allowed values (`enum`, or `const` as a one-value enum); undefined when unrestricted. */
  values: unknown[] | undefined;
  properties: Record<string, unknown>;
  required: Set<string>;
  /** false: no other keys; a schema: other keys' values; undefined: unrestricted. */
  additionalProperties: false | JsonSchema | undefined;
  items: unknown;
  /** Alternatives of a union other than null (two or more); empty for a plain node. */
  variants: unknown[];
  node: JsonSchema;
}

const typeOfValue = (value: unknown): JsonType =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : (typeof value as JsonType);

function declaredTypes(node: JsonSchema): Set<JsonType> | undefined {
  if (typeof node.type === 'string') return new Set([node.type as JsonType]);
  if (Array.isArray(node.type)) return new Set(node.type as JsonType[]);
  if ('const' in node) return new Set([typeOfValue(node.const)]);
  if (Array.isArray(node.enum)) return new Set(node.enum.map(typeOfValue));
  if (isSchema(node.properties)) return new Set(['object']);
  if (node.items !== undefined) return new Set(['array']);
  return undefined;
}

/** Reads a dereferenced node; `anyOf: [X, {type: 'null'}]` (zod's nullable) becomes X plus null. */
export function factsOf(schema: unknown): SchemaFacts {
  const node = isSchema(schema) ? schema : {};
  const alternatives = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    const isNull = (alternative: unknown) => isSchema(alternative) && alternative.type === 'null';
    const others = alternatives.filter((alternative) => !isNull(alternative));
    const nullable = others.length < alternatives.length;
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
    if (others.length === 1) {
      const facts = factsOf({ ...rest, ...(others[0] as JsonSchema) });
      if (nullable) facts.types?.add('null');
      return facts;
    }
    const facts = factsOf(rest);
    return { ...facts, types: undefined, variants: nullable ? [...others, { type: 'null' }] : others };
  }
  const values = 'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
  const additional = node.additionalProperties;
  return {
    types: declaredTypes(node),
    values,
    properties: isSchema(node.properties) ? node.properties : {},
    required: new Set(Array.isArray(node.required) ? (node.required as string[]) : []),
    additionalProperties: additional === false ? false : isSchema(additional) ? additional : undefined,
    items: node.items,
    variants: [],
    node,
  };
}
