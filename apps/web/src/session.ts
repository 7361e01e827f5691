import { type ChunkflowClient, connect, storeApiKey, storedApiKey } from './api.ts';

/** The API key (entered once, kept in localStorage) and the client that carries it. */
export class Session {
  #apiKey = storedApiKey();
  #client = connect(this.#apiKey);
  readonly #listeners = new Set<() => void>();

  get apiKey(): string | undefined {
    return this.#apiKey;
  }

  get client(): ChunkflowClient {
    return this.#client;
  }

  setApiKey(apiKey: string | undefined): void {
    this.#apiKey = apiKey || undefined;
    storeApiKey(this.#apiKey);
    this.#client = connect(this.#apiKey);
    for (const listener of this.#listeners) listener();
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }
}
