import type { AnswerEncoding, PreparedAnswer } from './prepared-answer.ts';

/**
 * What a served procedure returns: a prepared answer and this request's values for its holes.
 * The transport writes it in its own form (tRPC or REST) without touching the value again.
 */
export class ServedAnswer<Hole extends string = string> {
  readonly #prepared: PreparedAnswer<Hole>;
  readonly #values: Record<Hole, unknown>;

  constructor(prepared: PreparedAnswer<Hole>, values: Record<Hole, unknown>) {
    this.#prepared = prepared;
    this.#values = values;
  }

  /** Whether gzipping it pays (see PreparedAnswer). */
  get compressible(): boolean {
    return this.#prepared.compressible;
  }

  trpc(encoding: AnswerEncoding = 'identity'): Buffer {
    return this.#prepared.trpc(this.#values, encoding);
  }

  rest(encoding: AnswerEncoding = 'identity'): Buffer {
    return this.#prepared.rest(this.#values, encoding);
  }
}
