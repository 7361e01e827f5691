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
  app.addHook('preValidation', async (request) => {
    const isRest = request.routeOptions.url?.startsWith(`${REST_BASE_PATH}/`) === true;
    if (isRest && exceedsDepth(request.body, maxDepth)) {
      throw new ValidationError(`JSON body nested deeper than ${maxDepth} levels`);
    }
  });
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPENERS = new Set([91, 123]); // [ {
const CLOSERS = new Set([93, 125]); // ] }

/**
 * Whether JSON text nests deeper than `maxDepth`, counted over the text without parsing it
 * (brackets outside strings): one linear pass that cannot overflow, run before a recursive
 * deserialiser (superjson) could.
 */
export function textExceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (OPENERS.has(code)) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (CLOSERS.has(code)) depth -= 1;
  }
  return false;
}
