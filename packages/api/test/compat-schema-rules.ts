import { factsOf, type JsonType, type SchemaFacts } from './compat-json-schema.ts';

/**
 * Which side of the wire a schema describes. A client keeps working when an input accepts at
 * least what it accepted before, and an output produces at most what it produced before.
 */
export type Direction = 'input' | 'output';

type Rule = (before: SchemaFacts, after: SchemaFacts, direction: Direction, where: string) => string[];

const accepts = (types: Set<JsonType> | undefined, type: JsonType) =>
  types === undefined || types.has(type) || (type === 'integer' && types.has('number'));

const typeList = (types: Set<JsonType> | undefined) => (types ? [...types].sort().join(' | ') : 'any');

/** Input: every type accepted before is still accepted. Output: no type that was never produced. */
export const typeRule: Rule = (before, after, direction, where) => {
  const [wider, narrower] = direction === 'input' ? [after.types, before.types] : [before.types, after.types];
  const escaped =
    narrower === undefined ? wider !== undefined : [...narrower].some((t) => !accepts(wider, t));
  if (!escaped) return [];
  return direction === 'input'
    ? [`${where}: input type narrowed from ${typeList(before.types)} to ${typeList(after.types)}`]
    : [`${where}: response field retyped from ${typeList(before.types)} to ${typeList(after.types)}`];
};

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const missingFrom = (values: unknown[], allowed: unknown[]) =>
  values.filter((value) => !allowed.some((other) => sameValue(value, other)));

/**
 * Input: no allowed value disappears. Output: new values are additive (clients must tolerate new
 * enum members, as they tolerate new error codes), so only inputs are checked.
 */
export const valuesRule: Rule = (before, after, direction, where) => {
  if (direction === 'output' || after.values === undefined) return [];
  if (before.values === undefined)
    return [`${where}: input now restricted to ${JSON.stringify(after.values)}`];
  const removed = missingFrom(before.values, after.values);
  return removed.length === 0 ? [] : [`${where}: input no longer accepts ${JSON.stringify(removed)}`];
};

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/** Input only: a raised lower bound or a lowered upper bound refuses values that were valid. */
export const boundsRule: Rule = (before, after, direction, where) => {
  if (direction === 'output') return [];
  const bound = (facts: SchemaFacts, key: string) => facts.node[key] as number | undefined;
  const tightened = (key: string, tighter: (next: number, previous: number) => boolean) => {
    const next = bound(after, key);
    const previous = bound(before, key);
    return next !== undefined && (previous === undefined || tighter(next, previous));
  };
  return [
    ...LOWER_BOUNDS.filter((key) => tightened(key, (next, previous) => next > previous)),
    ...UPPER_BOUNDS.filter((key) => tightened(key, (next, previous) => next < previous)),
  ].map(
    (key) => `${where}: input ${key} tightened from ${bound(before, key) ?? 'none'} to ${bound(after, key)}`,
  );
};

/**
 * `pattern` and `format` restrict inputs when added or changed; for outputs a changed or dropped
 * `format` (e.g. date-time) retypes the field. `x-superjson` marks a value that travels as a Date
 * over tRPC: changing it retypes the field either way.
 */
export const representationRule: Rule = (before, after, direction, where) => {
  const changed = (key: string) => before.node[key] !== after.node[key];
  const describe = (key: string) =>
    `${key} ${String(before.node[key] ?? 'none')} → ${String(after.node[key] ?? 'none')}`;
  const keys =
    direction === 'input'
      ? ['pattern', 'format'].filter((key) => after.node[key] !== undefined && changed(key))
      : ['format'].filter((key) => before.node[key] !== undefined && changed(key));
  if (changed('x-superjson')) keys.push('x-superjson');
  return keys.map((key) =>
    direction === 'input'
      ? `${where}: input ${describe(key)}`
      : `${where}: response field retyped (${describe(key)})`,
  );
};

const fieldPath = (where: string, key: string) => `${where}.${key}`;

/** Input: no field removed, none newly required. Output: no field removed or made optional. */
export const propertiesRule: Rule = (before, after, direction, where) => {
  const breaks: string[] = [];
  for (const key of Object.keys(before.properties)) {
    if (!(key in after.properties)) {
      breaks.push(`${fieldPath(where, key)}: ${direction === 'input' ? 'input' : 'response'} field removed`);
    } else if (direction === 'output' && before.required.has(key) && !after.required.has(key)) {
      breaks.push(`${fieldPath(where, key)}: response field no longer always present`);
    }
  }
  if (direction === 'input') {
    for (const key of after.required) {
      if (!before.required.has(key)) breaks.push(`${fieldPath(where, key)}: input field newly required`);
    }
  }
  return breaks;
};

/** Input only: an object that took extra keys (records, open objects) and now refuses them. */
export const closedObjectRule: Rule = (before, after, direction, where) =>
  direction === 'input' && after.additionalProperties === false && before.additionalProperties !== false
    ? [`${where}: input no longer accepts extra keys`]
    : [];

const NODE_RULES: Rule[] = [
  typeRule,
  valuesRule,
  boundsRule,
  representationRule,
  propertiesRule,
  closedObjectRule,
];

/**
 * Every way `after` breaks a client written against `before`, as messages naming the field.
 * Both schemas must be dereferenced (see `dereference`).
 */
export function compareSchemas(
  before: unknown,
  after: unknown,
  direction: Direction,
  where: string,
): string[] {
  const previous = factsOf(before);
  const next = factsOf(after);
  if (previous.variants.length > 0 || next.variants.length > 0) {
    return compareUnions([before, previous], [after, next], direction, where);
  }
  const breaks = NODE_RULES.flatMap((rule) => rule(previous, next, direction, where));
  for (const key of Object.keys(previous.properties)) {
    if (key in next.properties) {
      breaks.push(
        ...compareSchemas(previous.properties[key], next.properties[key], direction, fieldPath(where, key)),
      );
    }
  }
  if (previous.additionalProperties && next.additionalProperties) {
    breaks.push(
      ...compareSchemas(previous.additionalProperties, next.additionalProperties, direction, `${where}.*`),
    );
  }
  if (previous.items !== undefined && next.items !== undefined) {
    breaks.push(...compareSchemas(previous.items, next.items, direction, `${where}[]`));
  }
  return breaks;
}

/**
 * A union keeps compatibility when every alternative a client could send (input) is still
 * accepted by some alternative, and every alternative the server may return (output) was
 * already possible.
 */
function compareUnions(
  before: [unknown, SchemaFacts],
  after: [unknown, SchemaFacts],
  direction: Direction,
  where: string,
): string[] {
  const alternatives = ([schema, facts]: [unknown, SchemaFacts]) =>
    facts.variants.length > 0 ? facts.variants : [schema];
  const [required, offered] =
    direction === 'input'
      ? [alternatives(before), alternatives(after)]
      : [alternatives(after), alternatives(before)];
  const unmatched = required.filter((variant) =>
    offered.every((candidate) => {
      const [previous, next] = direction === 'input' ? [variant, candidate] : [candidate, variant];
      return compareSchemas(previous, next, direction, where).length > 0;
    }),
  );
  if (unmatched.length === 0) return [];
  return direction === 'input'
    ? [`${where}: input no longer accepts the alternative ${JSON.stringify(unmatched[0])}`]
    : [`${where}: response may now take the new shape ${JSON.stringify(unmatched[0])}`];
}
