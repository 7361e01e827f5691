/**
 * A text that names a client's (strategy, parameters) exactly, or undefined when JSON would not:
 * two inputs with the same key are the same input. Only strings, finite numbers other than -0,
 * booleans, null, arrays and plain objects qualify (JSON drops `undefined`, writes NaN as null and
 * -0 as 0, and cannot write a BigInt), as every config parsed from a JSON body does.
 */
export function configKeyOf(strategy: string, parameters: Record<string, unknown>): string | undefined {
  return isJsonFaithful(parameters, 0) ? `${strategy}\0${JSON.stringify(parameters)}` : undefined;
}

/** Deeper configs are not keyed (they are built as they come, every time). */
const MAX_DEPTH = 8;

function isJsonFaithful(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) return value.every((item) => isJsonFaithful(item, depth + 1));
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      return Object.values(value).every((item) => isJsonFaithful(item, depth + 1));
    }
    default:
      return false;
  }
}
