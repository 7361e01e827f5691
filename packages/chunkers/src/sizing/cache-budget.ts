/**
 * Calls `clear` once every `charsBetweenClears` characters handed to `spend`: a cache keyed by
 * pieces of the texts it has seen then holds on to no more than about that much text.
 */
export class CacheBudget {
  readonly #charsBetweenClears: number;
  readonly #clear: () => void;
  #spent = 0;

  constructor(charsBetweenClears: number, clear: () => void) {
    this.#charsBetweenClears = charsBetweenClears;
    this.#clear = clear;
  }

  spend(chars: number): void {
    this.#spent += chars;
    if (this.#spent < this.#charsBetweenClears) return;
    this.#spent = 0;
    this.#clear();
  }
}
