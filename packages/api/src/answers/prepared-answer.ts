import { randomBytes } from 'node:crypto';
import superjson, { type SuperJSONResult } from 'superjson';
import type { z } from 'zod';
import { GzipTemplate } from './gzip-template.ts';

/** How an answer's bytes are written: as they are, or gzipped (when the client accepts it). */
export type AnswerEncoding = 'identity' | 'gzip';

/** Answers smaller than this are never compressed: the few bytes saved cost more than they save. */
const MIN_GZIP_BYTES = 1024;

/**
 * A procedure's answer validated against its output schema and serialised once, in both wire
 * forms: tRPC's response (superjson) and REST's (JSON), held as UTF-8 bytes. The few values that
 * differ per request (the correlation id, whether it came from the cache) are holes filled as it
 * is written, so serving it again walks, validates and encodes nothing but them. The text is
 * exactly what tRPC and the REST adapter write for the same value: the output schema's parse,
 * then their own serialisation.
 */
export class PreparedAnswer<Hole extends string = string> {
  readonly #trpc: Template<Hole>;
  readonly #rest: Template<Hole>;

  private constructor(trpc: Template<Hole>, rest: Template<Hole>) {
    this.#trpc = trpc;
    this.#rest = rest;
  }

  /**
   * Validates `answer` with `schema` (a failure throws, as tRPC's output check does) and
   * serialises it with each hole's top-level value left open. The text is stringified and encoded
   * once: REST's JSON is the `json` inside tRPC's envelope whenever superjson changed nothing JSON
   * writes differently (see restIsTheJsonInside), and then both forms share the same bytes.
   */
  static of<Schema extends z.ZodType<Record<string, unknown>>, Hole extends string & keyof z.output<Schema>>(
    schema: Schema,
    answer: z.input<Schema>,
    holes: readonly Hole[],
  ): PreparedAnswer<Hole> {
    const marked: Record<string, unknown> = { ...schema.parse(answer) };
    for (const hole of holes) marked[hole] = markerOf(hole);
    const { json, meta } = superjson.serialize(marked);
    // tRPC's single-call success envelope, the transformer's form inside it, as
    // JSON.stringify({ result: { data: { json, meta } } }) writes it.
    const tail = meta === undefined ? '}}}' : `,"meta":${JSON.stringify(meta)}}}}`;
    const trpc = Buffer.from(`${TRPC_HEAD}${JSON.stringify(json)}${tail}`);
    const rest = restIsTheJsonInside(meta)
      ? trpc.subarray(TRPC_HEAD.length, trpc.length - Buffer.byteLength(tail))
      : Buffer.from(JSON.stringify(marked));
    return new PreparedAnswer(templateOf(trpc, holes), templateOf(rest, holes));
  }

  /** Whether gzipping it pays: it is large enough (each form's gzip bytes are made once, when first asked for). */
  get compressible(): boolean {
    return this.#rest.fixedBytes >= MIN_GZIP_BYTES;
  }

  /** The tRPC response body of a single (unbatched) call. */
  trpc(values: Record<Hole, unknown>, encoding: AnswerEncoding): Buffer {
    return this.#trpc.render(values, encoding);
  }

  /** The REST response body. */
  rest(values: Record<Hole, unknown>, encoding: AnswerEncoding): Buffer {
    return this.#rest.render(values, encoding);
  }
}

/** Unguessable per process, so no text a client sends can pose as a hole. */
const nonce = randomBytes(16).toString('hex');
const markerOf = (hole: string) => `\u0000${nonce}:${hole}`;

/** What precedes the transformer's `json` in tRPC's single-call success envelope. */
const TRPC_HEAD = '{"result":{"data":{"json":';

/** superjson's notes that leave its `json` as JSON.stringify writes the value (`v`: its format's version). */
const NOTES_JSON_WRITES_ALIKE = new Set(['values', 'referentialEqualities', 'v']);

/**
 * Whether JSON.stringify writes the answer exactly as superjson's `json`: superjson noted nothing
 * but Dates (written as the same ISO string either way) and shared references (written out in
 * full either way). An `undefined`, a non-finite number or -0, a Map, a Set… JSON writes otherwise.
 */
function restIsTheJsonInside(meta: SuperJSONResult['meta']): boolean {
  if (meta === undefined) return true;
  if (!Object.keys(meta).every((key) => NOTES_JSON_WRITES_ALIKE.has(key))) return false;
  return Object.values(meta.values ?? {}).every(
    (annotation) => Array.isArray(annotation) && annotation.length === 1 && annotation[0] === 'Date',
  );
}

/**
 * A text's UTF-8 bytes cut at its holes: `segments[0] + value(holes[0]) + segments[1] + …`, each
 * value written as JSON. Rendering copies the bytes once: no string to build, flatten or encode.
 */
class Template<Hole extends string> {
  readonly #segments: Buffer[];
  readonly #holes: Hole[];
  readonly fixedBytes: number;
  #gzip: GzipTemplate | undefined;

  constructor(segments: Buffer[], holes: Hole[]) {
    this.#segments = segments;
    this.#holes = holes;
    this.fixedBytes = this.#segments.reduce((sum, segment) => sum + segment.length, 0);
  }

  render(values: Record<Hole, unknown>, encoding: AnswerEncoding): Buffer {
    const filled = this.#holes.map((hole) => Buffer.from(JSON.stringify(values[hole])));
    if (encoding === 'gzip') {
      this.#gzip ??= new GzipTemplate(this.#segments);
      return this.#gzip.render(filled);
    }
    const parts: Buffer[] = [this.#segments[0] as Buffer];
    let bytes = this.fixedBytes;
    for (let index = 0; index < filled.length; index++) {
      const value = filled[index] as Buffer;
      bytes += value.length;
      parts.push(value, this.#segments[index + 1] as Buffer);
    }
    return Buffer.concat(parts, bytes);
  }
}

/**
 * `bytes` cut at each hole's marker (views of the same memory, nothing copied). Each marker occurs
 * once, so it is searched from the end: the holes are per-request fields after the content (a
 * preview's `cached` and `correlationId` follow its chunks), and a search from the start would
 * scan the whole answer for each.
 */
function templateOf<Hole extends string>(bytes: Buffer, holes: readonly Hole[]): Template<Hole> {
  const found = holes
    .map((hole) => ({ hole, quoted: JSON.stringify(markerOf(hole)) }))
    .map((entry) => ({ ...entry, at: bytes.lastIndexOf(entry.quoted) }))
    .filter((entry) => entry.at >= 0)
    .sort((a, b) => a.at - b.at);
  const segments: Buffer[] = [];
  let from = 0;
  for (const { at, quoted } of found) {
    segments.push(bytes.subarray(from, at));
    from = at + quoted.length;
  }
  segments.push(bytes.subarray(from));
  return new Template(
    segments,
    found.map((entry) => entry.hole),
  );
}
