import { type RedisManager, translateRedisError } from '@chunkflow/redis-manager';
import type { EntryOrder, EventLog, EventLogLimits, LogEntry } from './event-log.ts';

const FIELD = 'event';

/**
 * XADD (with MAXLEN ~ and EXPIRE) unless the last entry is final or ranks at least as high as the
 * new one (ARGV[4], '' for none): in one script, so appends racing from several processes keep the
 * stream in order. Answers the new id, or nil when the entry was dropped.
 */
const APPEND_IN_ORDER = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if last then
  local fields = last[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'final' then return false end
    if fields[i] == 'rank' and ARGV[4] ~= '' and tonumber(fields[i + 1]) >= tonumber(ARGV[4]) then
      return false
    end
  end
end
local entry = { '${FIELD}', ARGV[3] }
if ARGV[4] ~= '' then
  entry[#entry + 1] = 'rank'
  entry[#entry + 1] = ARGV[4]
end
if ARGV[5] ~= '' then
  entry[#entry + 1] = 'final'
  entry[#entry + 1] = '1'
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(entry))
redis.call('EXPIRE', KEYS[1], ARGV[2])
return id`;

/** EventLog on Redis streams `<prefix>:progress:<stream>`: XADD MAXLEN ~ with EXPIRE in order, read by XRANGE. */
export class RedisEventLog implements EventLog {
  readonly #redis: RedisManager;
  readonly #limits: EventLogLimits;

  constructor(redis: RedisManager, limits: EventLogLimits) {
    this.#redis = redis;
    this.#limits = limits;
  }

  async append(stream: string, payload: string, order: EntryOrder = {}): Promise<string | undefined> {
    try {
      const id = await this.#redis
        .commands()
        .eval(
          APPEND_IN_ORDER,
          1,
          this.#key(stream),
          this.#limits.maxLength,
          this.#limits.ttlSeconds,
          payload,
          order.rank === undefined ? '' : String(order.rank),
          order.final ? '1' : '',
        );
      return typeof id === 'string' ? id : undefined;
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
