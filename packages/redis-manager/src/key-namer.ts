/** Prefixes may not contain ':' (so no prefix is a prefix of another's keys) nor glob characters. */
const VALID_PREFIX = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Names every Redis key and channel of one deployment (or test run) under one prefix,
 * `<prefix>:<part>:<part>…`, so deployments sharing a server never touch each other's data
 * and `pattern` finds all of them.
 */
export class KeyNamer {
  readonly prefix: string;

  constructor(prefix: string) {
    if (!VALID_PREFIX.test(prefix)) {
      throw new RangeError(`Redis key prefix "${prefix}" must be 1-64 characters of A-Z a-z 0-9 . _ -`);
    }
    this.prefix = prefix;
  }

  of(...parts: [string | number, ...(string | number)[]]): string {
    for (const part of parts) {
      if (part === '') throw new RangeError('Redis key parts must not be empty');
    }
    return `${this.prefix}:${parts.join(':')}`;
  }

  /** SCAN/KEYS pattern matching every key named by this namer. */
  get pattern(): string {
    return `${this.prefix}:*`;
  }
}
