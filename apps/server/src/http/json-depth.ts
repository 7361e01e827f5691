import { REST_BASE_PATH } from '@chunkflow/api';
import { ValidationError } from '@chunkflow/errors';
import type { FastifyInstance } from 'fastify';

/**
 * Deepest nesting a REST JSON body may have. Parsing copes with any depth, but the REST adapter
 * re-serialises bodies recursively (JSON.stringify), so a deeper one overflowed the stack: a 500.
 * (tRPC's own route already answers such bodies with a typed 400.)
 */
export const MAX_JSON_DEPTH = 256;

/** What JSON.parse makes: arrays and plain objects (a streamed upload's body is neither). */
function isJsonContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Walks parsed JSON with an explicit stack, so the check itself cannot overflow. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!isJsonContainer(next.value)) continue;
    if (next.depth > maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** Refuses over-deep REST JSON bodies with VALIDATION_ERROR (400) before any procedure sees them. */
export function registerJsonDepthLimit(app: FastifyInstance, maxDepth = MAX_JSON_DEPTH): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const isRest = request.routeOptions.url?.startsWith(`${REST_BASE_PATH}/`) === true;
    if (isRest && exceedsDepth(request.body, maxDepth)) {
      return done(new ValidationError(`JSON body nested deeper than ${maxDepth} levels`));
    }
    done();
  });
}

const BACKSLASH = 92;
const OPENERS = new Set([91, 123]); // [ {
const CLOSERS = new Set([93, 125]); // ] }

/**
 * Whether JSON text nests deeper than `maxDepth`, counted over the text without parsing it
 * (brackets outside strings): one linear pass that cannot overflow, run before a recursive
 * deserialiser (superjson) could. A string's contents are skipped with a native search for its
 * closing quote: inputs are mostly one long string (the content to chunk).
 */
export function textExceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 34) index = closingQuote(text, index + 1);
    else if (OPENERS.has(code)) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (CLOSERS.has(code)) depth -= 1;
  }
  return false;
}

/** Where the string whose contents start at `from` ends (its unescaped quote), or the text's end. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (at - backslashes - 1 >= from && text.charCodeAt(at - backslashes - 1) === BACKSLASH)
      backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}
