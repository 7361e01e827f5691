import { describe, expect, it } from 'vitest';
import { mayScrapeMetrics } from '../src/metrics/scrape-access.ts';

describe('mayScrapeMetrics', () => {
  it('lets every scrape through when no token is configured', () => {
    expect(mayScrapeMetrics(undefined, undefined)).toBe(true);
    expect(mayScrapeMetrics('Bearer anything', undefined)).toBe(true);
  });

  it('with a token, admits exactly Authorization: Bearer <token>', () => {
    const token = 's3cret-token';
    expect(mayScrapeMetrics(`Bearer ${token}`, token)).toBe(true);
    for (const header of [
      undefined,
      '',
      token,
      `bearer ${token}`,
      `Bearer ${token}x`,
      'Bearer s3cret',
      `Basic ${token}`,
    ])
      expect(mayScrapeMetrics(header, token)).toBe(false);
  });
});
