import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeConnection,
  parseRedisUrl,
  type RedisConnectionConfig,
  type RedisNode,
} from '../src/index.ts';

describe('parseRedisUrl', () => {
  it.each<[string, RedisConnectionConfig]>([
    ['redis://127.0.0.1', { kind: 'standalone', useTls: false, host: '127.0.0.1', port: 6379, db: 0 }],
    [
      'redis://app:s3cr%40t@cache.internal:6380/2',
      {
        kind: 'standalone',
        useTls: false,
        host: 'cache.internal',
        port: 6380,
        db: 2,
        username: 'app',
        password: 's3cr@t',
      },
    ],
    [
      'redis://:only-password@h',
      { kind: 'standalone', useTls: false, host: 'h', port: 6379, db: 0, password: 'only-password' },
    ],
    ['rediss://[::1]:7000', { kind: 'standalone', useTls: true, host: '::1', port: 7000, db: 0 }],
    [
      'redis+sentinel://s1:26379,s2,[fe80::1]:26380/mymaster/3?sentinelPassword=sp',
      {
        kind: 'sentinel',
        useTls: false,
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
          { host: 'fe80::1', port: 26380 },
        ],
        masterName: 'mymaster',
        db: 3,
        sentinelPassword: 'sp',
      },
    ],
    [
      'rediss+cluster://u:p@n1:7000,n2:7001',
      {
        kind: 'cluster',
        useTls: true,
        username: 'u',
        password: 'p',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
      },
    ],
  ])('parses %s', (url, expected) => {
    // Absent optional fields may be present as undefined; compare what is set.
    expect(JSON.parse(JSON.stringify(parseRedisUrl(url)))).toEqual(expected);
  });

  it.each([
    ['http://h:6379', /expected one of/],
    ['redis://', /no host/],
    ['redis://h:70000', /port "70000"/],
    ['redis://h:port', /not host\[:port\]/],
    ['redis://h1,h2', /several hosts/],
    ['redis://h/1/2', /path must be \/db/],
    ['redis://h/x', /database "x"/],
    ['redis+sentinel://s1,s2', /master name/],
    ['redis+cluster://n1,n2/0', /no database path/],
    ['redis://h?family=6', /unknown parameter "family"/],
  ])('rejects %s as INVALID_CONFIG', (url, reason) => {
    expect(() => parseRedisUrl(url)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(reason) }),
    );
  });

  it('never puts the password into an error or a description', () => {
    const secret = 'hunter2-secret';
    expect(() => parseRedisUrl(`redis://user:${secret}@h:99999`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
    expect(describeConnection(parseRedisUrl(`rediss://user:${secret}@h:6380/1`))).toBe('rediss://h:6380/1');
  });

  const host = fc.oneof(
    fc.domain(),
    fc.ipV4(),
    fc.ipV6().map((ip) => `[${ip}]`),
  );
  const node = fc.record({ host, port: fc.integer({ min: 1, max: 65_535 }) });
  const credential = fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined });

  it('reads back every standalone, sentinel and cluster URL built from its parts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('standalone', 'sentinel', 'cluster'),
        fc.boolean(),
        fc.array(node, { minLength: 1, maxLength: 4 }),
        credential,
        credential,
        fc.integer({ min: 0, max: 15 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
        (kind, useTls, nodes, username, password, db, masterName) => {
          const auth =
            username === undefined && password === undefined
              ? ''
              : `${encodeURIComponent(username ?? '')}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
          const hosts = (kind === 'standalone' ? nodes.slice(0, 1) : nodes)
            .map((n) => `${n.host}:${n.port}`)
            .join(',');
          const scheme = `${useTls ? 'rediss' : 'redis'}${kind === 'standalone' ? '' : `+${kind}`}`;
          const path = kind === 'sentinel' ? `/${masterName}/${db}` : kind === 'standalone' ? `/${db}` : '';
          const config = parseRedisUrl(`${scheme}://${auth}${hosts}${path}`);

          const unbracket = (n: RedisNode) => ({ host: n.host.replace(/^\[|\]$/g, ''), port: n.port });
          expect(config.kind).toBe(kind);
          expect(config.useTls).toBe(useTls);
          expect(config.username).toBe(username);
          expect(config.password).toBe(password);
          if (config.kind === 'standalone')
            expect({ host: config.host, port: config.port, db: config.db }).toEqual({
              ...unbracket(nodes[0] as RedisNode),
              db,
            });
          if (config.kind === 'sentinel')
            expect(config).toMatchObject({ sentinels: nodes.map(unbracket), masterName, db });
          if (config.kind === 'cluster') expect(config.nodes).toEqual(nodes.map(unbracket));
        },
      ),
    );
  });
});
