import { describe, expect, it } from 'vitest';
import { redisRoleUrls } from '../src/settings/redis-urls.ts';
import { settingsFrom } from '../src/settings/settings.ts';

const urlsOf = (environment: Record<string, string>) =>
  redisRoleUrls(settingsFrom(environment).storage)?.urls;

describe('Redis URLs by role', () => {
  it('gives every role REDIS_URL unless its own variable is set', () => {
    expect(urlsOf({})).toBeUndefined();
    expect(urlsOf({ REDIS_URL: 'redis://one:6379' })).toEqual({
      queue: 'redis://one:6379',
      limits: 'redis://one:6379',
      cache: 'redis://one:6379',
    });
    expect(urlsOf({ REDIS_URL: 'redis://one:6379', REDIS_CACHE_URL: 'redis://cache:6379' })).toEqual({
      queue: 'redis://one:6379',
      limits: 'redis://one:6379',
      cache: 'redis://cache:6379',
    });
    expect(
      urlsOf({
        REDIS_QUEUE_URL: 'redis://q:1',
        REDIS_LIMITS_URL: 'redis://l:1',
        REDIS_CACHE_URL: 'redis://c:1',
      }),
    ).toEqual({ queue: 'redis://q:1', limits: 'redis://l:1', cache: 'redis://c:1' });
  });

  it('refuses some roles on Redis and others in process, saying what to set', () => {
    expect(() => settingsFrom({ REDIS_CACHE_URL: 'redis://cache:6379' })).toThrow(
      /REDIS_CACHE_URL set but REDIS_QUEUE_URL, REDIS_LIMITS_URL and REDIS_URL unset/,
    );
    expect(() => settingsFrom({ REDIS_QUEUE_URL: 'redis://q:1', REDIS_LIMITS_URL: 'redis://l:1' })).toThrow(
      /set REDIS_URL \(the default of every Redis role\)/,
    );
  });
});
