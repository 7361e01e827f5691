import type { PubSub } from '@chunkflow/redis-manager';
import type { EventLog } from './event-log.ts';
import { isTerminalEvent, type ProgressEvent, type ProgressEventInput } from './progress-events.ts';

export interface TrackedProgressEvent {
  id: string;
  event: ProgressEvent;
}

export interface FollowOptions {
  signal?: AbortSignal | undefined;
  /**
   * Asked when the stream has been quiet (and once before the first wait): the operation's final
   * event if it has ended without one in the log (expired, or its worker died), else undefined.
   */
  finalEvent(): Promise<ProgressEvent | undefined>;
}

const PAGE = 200;

/**
 * Progress events of operations: appended to a per-operation log, announced on a pub/sub channel.
 * Followers subscribe to the announcements before reading the log and always read from the last id
 * they delivered, so every event reaches them once and in order, whatever process published it.
 */
export class ProgressStream {
  readonly #log: EventLog;
  readonly #pubSub: PubSub;
  readonly #idleCheckMs: number;

  constructor(log: EventLog, pubSub: PubSub, options: { idleCheckMs: number }) {
    this.#log = log;
    this.#pubSub = pubSub;
    this.#idleCheckMs = options.idleCheckMs;
  }

  /**
   * Appends and announces the event; answers its id. A progress event that is not ahead of the
   * last one logged (another process published later counters first) or comes after the
   * operation's end is dropped (undefined): followers see counters that only grow.
   */
  async publish(event: ProgressEventInput): Promise<string | undefined> {
    const stamped = { ...event, at: new Date().toISOString() } as ProgressEvent;
    const id = await this.#log.append(event.operationId, JSON.stringify(stamped), {
      rank: event.type === 'document_completed' ? event.documentsDone : undefined,
      final: isTerminalEvent(stamped),
    });
    if (id !== undefined) await this.#pubSub.publish(channelOf(event.operationId), id);
    return id;
  }

  /** Calls `listener` whenever an event of the operation is published, by any process, until unsubscribed. */
  announcements(operationId: string, listener: () => void): Promise<() => Promise<void>> {
    return this.#pubSub.subscribe(channelOf(operationId), () => listener());
  }

  /** Events after `lastEventId` (all when undefined), then live ones; ends after a terminal event. */
  async *follow(
    operationId: string,
    lastEventId: string | undefined,
    options: FollowOptions,
  ): AsyncGenerator<TrackedProgressEvent> {
    const wakeUp = new WakeUp();
    const unsubscribe = await this.#pubSub.subscribe(channelOf(operationId), () => wakeUp.notify());
    try {
      let cursor = lastEventId;
      let askedForFinal = false;
      while (!options.signal?.aborted) {
        wakeUp.reset();
        const entries = await this.#log.after(operationId, cursor, PAGE);
        for (const entry of entries) {
          cursor = entry.id;
          const event = JSON.parse(entry.payload) as ProgressEvent;
          yield { id: entry.id, event };
          if (isTerminalEvent(event)) return;
        }
        if (entries.length === PAGE || wakeUp.pending) continue;
        if (askedForFinal && (await wakeUp.wait(this.#idleCheckMs, options.signal))) continue;
        if (options.signal?.aborted) return;
        askedForFinal = true;
        const final = await this.#finalAfter(operationId, cursor, options);
        if (final) {
          yield final;
          return;
        }
      }
    } finally {
      await unsubscribe();
    }
  }

  /** The operation ended without a terminal event we have read: prefer a late one from the log. */
  async #finalAfter(
    operationId: string,
    cursor: string | undefined,
    options: FollowOptions,
  ): Promise<TrackedProgressEvent | undefined> {
    const event = await options.finalEvent();
    if (!event) return undefined;
    const late = await this.#log.after(operationId, cursor, PAGE);
    const logged = late.find((entry) => isTerminalEvent(JSON.parse(entry.payload) as ProgressEvent));
    if (logged) return undefined;
    return { id: late.at(-1)?.id ?? cursor ?? '0-0', event };
  }
}

function channelOf(operationId: string): string {
  return `progress:${operationId}`;
}

/** A latch set by announcements; waiting on it resolves true when notified, false on timeout or abort. */
class WakeUp {
  pending = false;
  #resolve: ((notified: boolean) => void) | undefined;

  notify(): void {
    this.pending = true;
    this.#resolve?.(true);
  }

  reset(): void {
    this.pending = false;
  }

  wait(timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (this.pending) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (notified: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#resolve = undefined;
        resolve(notified);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#resolve = finish;
    });
  }
}
