import type { RateLimitDecision, RateLimiter, RateLimitGrant } from '@chunkflow/redis-manager';

/** Most admissions taken ahead at once, and the share of the limit a lease may hold at most. */
const MAX_LEASE = 64;
const LIMIT_SHARE = 64;
/** How long admissions taken ahead may be handed out: past it what is left goes unused. */
const LEASE_MS = 1_000;

interface Lease {
  /** Admissions left to hand out. */
  left: number;
  /** How many the lease took: the next one doubles when this one ran out before it expired. */
  size: number;
  expiresAt: number;
}

/**
 * A rate limiter that takes a busy key's admissions from the shared limiter several at a time and
 * hands them out in this process, so a key sending many requests costs one round trip per lease
 * instead of one per request. Admissions are counted in the shared window when taken, so the
 * limit holds across processes; what a lease does not use (it expires within a second) only
 * counts against the key early. A lease starts at one admission and doubles while the key keeps
 * using them up, up to a 64th of the limit: a key well under its limit, or near it, is served
 * one admission at a time as before.
 */
export class LeasedAdmissions implements RateLimiter {
  readonly #shared: RateLimiter;
  readonly #now: () => number;
  readonly #leases = new Map<string, Lease>();
  /** One lease taken at a time per key: requests arriving meanwhile wait for it. */
  readonly #taking = new Map<string, Promise<unknown>>();

  constructor(shared: RateLimiter, now: () => number = () => performance.now()) {
    this.#shared = shared;
    this.#now = now;
  }

  /** Batches (their items counted one each) take their admissions from the shared limiter. */
  consumeUpTo(key: string, wanted: number, limit: number, windowMs: number): Promise<RateLimitGrant> {
    return this.#shared.consumeUpTo(key, wanted, limit, windowMs);
  }

  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    for (;;) {
      const lease = this.#leases.get(key);
      const now = this.#now();
      if (lease && lease.left > 0 && now < lease.expiresAt) {
        lease.left -= 1;
        return { allowed: true, remaining: lease.left, retryAfterMs: 0 };
      }
      const taking = this.#taking.get(key);
      if (!taking) return this.#take(key, limit, windowMs, lease, now);
      await taking.catch(() => undefined);
    }
  }

  async #take(
    key: string,
    limit: number,
    windowMs: number,
    previous: Lease | undefined,
    now: number,
  ): Promise<RateLimitDecision> {
    const usedUp = previous !== undefined && previous.left === 0 && now < previous.expiresAt;
    const ceiling = Math.max(1, Math.min(MAX_LEASE, Math.floor(limit / LIMIT_SHARE)));
    const size = usedUp ? Math.min(ceiling, previous.size * 2) : 1;
    const taking = this.#shared.consumeUpTo(key, size, limit, windowMs);
    this.#taking.set(key, taking);
    try {
      const { granted, retryAfterMs } = await taking;
      if (granted > 1) {
        const expiresAt = this.#now() + Math.min(LEASE_MS, windowMs);
        this.#leases.set(key, { left: granted - 1, size: granted, expiresAt });
      } else {
        this.#leases.set(key, { left: 0, size: Math.max(1, granted), expiresAt: now + LEASE_MS });
      }
      if (granted === 0) return { allowed: false, remaining: 0, retryAfterMs };
      return { allowed: true, remaining: granted - 1, retryAfterMs: 0 };
    } finally {
      this.#taking.delete(key);
      this.#forgetExpired(now);
    }
  }

  /** Keeps the map to the keys in use (a lease outlives its use by at most LEASE_MS). */
  #forgetExpired(now: number): void {
    if (this.#leases.size < 1_000) return;
    for (const [key, lease] of this.#leases) if (lease.expiresAt <= now) this.#leases.delete(key);
  }
}
