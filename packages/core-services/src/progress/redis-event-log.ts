import { type RedisManager, translateRedisError } from '@chunkflow/redis-manager';
import type { EventLog, EventLogLimits, LogEntry } from './event-log.ts';

const FIELD = 'event';

/** EventLog on Redis streams `<prefix>:progress:<stream>`: XADD MAXLEN ~ with EXPIRE, read by XRANGE. */
export class RedisEventLog implements EventLog {
  readonly #redis: RedisManager;
  readonly #limits: EventLogLimits;

  constructor(redis: RedisManager, limits: EventLogLimits) {
    this.#redis = redis;
    this.#limits = limits;
  }

  async append(stream: string, payload: string): Promise<string> {
    const key = this.#key(stream);
    try {
      const results = await this.#redis
        .commands()
        .multi()
        .xadd(key, 'MAXLEN', '~', this.#limits.maxLength, '*', FIELD, payload)
        .expire(key, this.#limits.ttlSeconds)
        .exec();
      const [added] = results ?? [];
      if (!added || added[0]) throw added?.[0] ?? new Error('XADD returned no result');
      return added[1] as string;
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  async after(stream: string, afterId: string | undefined, count: number): Promise<LogEntry[]> {
    try {
      const start = afterId === undefined ? '-' : `(${afterId}`;
      const entries = await this.#redis.commands().xrange(this.#key(stream), start, '+', 'COUNT', count);
      return entries.map(([id, fields]) => ({ id, payload: fields[fields.indexOf(FIELD) + 1] ?? 'null' }));
    } catch (error) {
      throw translateRedisError(error);
    }
  }

  #key(stream: string): string {
    return this.#redis.keys.of('progress', stream);
  }
}
