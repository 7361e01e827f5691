import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a scrape of `/metrics` may read the metrics: always without a configured token,
 * otherwise only with `Authorization: Bearer <token>`. Compares digests in constant time, so the
 * answer's timing says nothing about how much of a guess was right.
 */
export function mayScrapeMetrics(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}
