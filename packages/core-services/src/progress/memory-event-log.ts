import type { EntryOrder, EventLog, EventLogLimits, LogEntry } from './event-log.ts';

interface MemoryStream {
  entries: ({ sequence: number; payload: string } & EntryOrder)[];
  lastSequence: number;
  expiresAt: number;
}

/** In-process EventLog (embedded mode) with the Redis log's ids, bounds and expiry. */
export class MemoryEventLog implements EventLog {
  readonly #streams = new Map<string, MemoryStream>();
  readonly #limits: EventLogLimits;
  readonly #now: () => number;

  constructor(limits: EventLogLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  async append(stream: string, payload: string, order: EntryOrder = {}): Promise<string | undefined> {
    this.#dropExpired();
    const state = this.#streams.get(stream) ?? { entries: [], lastSequence: 0, expiresAt: 0 };
    const last = state.entries.at(-1);
    if (last?.final) return undefined;
    if (order.rank !== undefined && last?.rank !== undefined && last.rank >= order.rank) return undefined;
    state.lastSequence += 1;
    state.entries.push({ sequence: state.lastSequence, payload, rank: order.rank, final: order.final });
    if (state.entries.length > this.#limits.maxLength) state.entries.shift();
    state.expiresAt = this.#now() + this.#limits.ttlSeconds * 1000;
    this.#streams.set(stream, state);
    return `${state.lastSequence}-0`;
  }

  async after(stream: string, afterId: string | undefined, count: number): Promise<LogEntry[]> {
    this.#dropExpired();
    const after = afterId === undefined ? 0 : Number(afterId.split('-')[0]);
    const entries = this.#streams.get(stream)?.entries ?? [];
    return entries
      .filter((entry) => entry.sequence > after)
      .slice(0, count)
      .map((entry) => ({ id: `${entry.sequence}-0`, payload: entry.payload }));
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [name, state] of this.#streams) if (state.expiresAt <= now) this.#streams.delete(name);
  }
}
