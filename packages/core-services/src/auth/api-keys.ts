import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'cf_';

/** A new API key: 32 random bytes, url-safe, recognisable by its prefix. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Keys are high-entropy, so a plain SHA-256 is the right stored form (no salt or KDF needed).
 * Lookups go by digest, never by comparing the secret itself: an attacker cannot steer digest
 * prefixes, so the index lookup's timing reveals nothing about a valid key.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
