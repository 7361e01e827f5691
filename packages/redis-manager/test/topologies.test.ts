import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DependencyUnavailableError } from '@chunkflow/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseRedisUrl,
  RedisCache,
  RedisDeployment,
  RedisManager,
  type RedisManagerOptions,
  RedisPubSub,
  RedisRateLimiter,
  readServerMemory,
} from '../src/index.ts';
import { RecordingLogger } from './support/recording-logger.ts';
import { freeClusterPort, freePort, RedisProcess } from './support/redis-process.ts';

const run = promisify(execFile);
const logger = new RecordingLogger();
const persistence = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

/** Cache, rate limiter and pub/sub all work through the manager, then its keys are purged. */
async function exerciseManager(options: RedisManagerOptions): Promise<void> {
  const manager = new RedisManager(options);
  try {
    await manager.waitUntilReady('commands', 5_000);
    const cache = new RedisCache(manager);
    await cache.set('seed', JSON.stringify({ data: 'test' }), 60);
    expect(JSON.parse((await cache.get('seed')) ?? 'null')).toEqual({ data: 'test' });
    expect(await new RedisRateLimiter(manager).consume('ip', 1, 60_000)).toMatchObject({ allowed: true });

    const pubsub = new RedisPubSub(manager, { logger });
    const received = new Promise<string>((resolve) => {
      pubsub.subscribe('events', resolve).then(() => pubsub.publish('events', 'hello'));
    });
    expect(await received).toBe('hello');
    expect(await manager.purgeKeys()).toBe(2);
  } finally {
    await manager.close();
  }
}

describe('Sentinel', () => {
  let master: RedisProcess & { port: number };
  let sentinel: RedisProcess;
  let sentinelPort: number;

  beforeAll(async () => {
    master = await RedisProcess.standalone();
    sentinelPort = await freePort();
    sentinel = await RedisProcess.start({
      config: `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor testmaster 127.0.0.1 ${master.port} 1\n`,
      args: ['--sentinel'],
      ready: /\+monitor master testmaster/,
    });
  });

  afterAll(async () => {
    await sentinel?.stop();
    await master?.stop();
  });

  it('finds the master through redis+sentinel:// and serves every role', async () => {
    await exerciseManager({
      url: `redis+sentinel://127.0.0.1:${sentinelPort}/testmaster`,
      keyPrefix: 'sentinel-test',
      logger,
    });
  });
});

describe('Cluster', () => {
  const nodes: (RedisProcess & { port: number })[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const port = await freeClusterPort();
      const args = ['--port', String(port), ...persistence, '--cluster-enabled', 'yes'];
      const node = await RedisProcess.start({ args: [...args, '--cluster-config-file', 'nodes.conf'] });
      nodes.push(Object.assign(node, { port }));
    }
    // Assigning slots and introducing the nodes directly is faster than `redis-cli --cluster create`.
    const ranges = [
      [0, 5460],
      [5461, 10922],
      [10923, 16383],
    ];
    await Promise.all(
      nodes.map((node, i) =>
        run('redis-cli', [
          '-p',
          String(node.port),
          'cluster',
          'addslotsrange',
          ...(ranges[i] ?? []).map(String),
        ]),
      ),
    );
    const [first, ...others] = nodes;
    for (const other of others) {
      await run('redis-cli', ['-p', String(first?.port), 'cluster', 'meet', '127.0.0.1', String(other.port)]);
    }
    for (const node of nodes) {
      while (
        !(await run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])).stdout.includes(
          'cluster_state:ok',
        )
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });

  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  });

  it('spreads keys over the nodes of redis+cluster:// and serves every role', async () => {
    const url = `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`;
    await exerciseManager({ url, keyPrefix: 'cluster-test', logger });

    const manager = new RedisManager({ url, keyPrefix: 'cluster-spread', logger });
    try {
      await manager.waitUntilReady('commands', 5_000);
      expect(manager.isCluster).toBe(true);
      // Keys hash to different slots; purgeKeys must visit every master to find them all.
      for (let i = 0; i < 50; i++) await manager.commands().set(manager.keys.of('k', i), '1');
      const perNode = await Promise.all(
        nodes.map(async (node) =>
          Number((await run('redis-cli', ['-p', String(node.port), 'dbsize'])).stdout),
        ),
      );
      expect(perNode.filter((count) => count > 0).length).toBeGreaterThan(1);
      expect(await manager.purgeKeys()).toBe(50);
      // BullMQ needs all of a queue's keys in one slot: its prefix carries a hash tag.
      expect(manager.bullmqQueue().prefix).toBe('cluster-spread:{cluster-spread:bull}');
    } finally {
      await manager.close();
    }
  });

  it('reads the memory policy of every master, and refuses a queue Cluster one of whose masters evicts', async () => {
    const url = `redis+cluster://127.0.0.1:${nodes[0]?.port}`;
    const redis = new RedisDeployment({
      urls: { queue: url, limits: url, cache: url },
      keyPrefix: 'cluster-policy',
      logger,
    });
    const last = String(nodes[2]?.port);
    try {
      await redis.waitUntilReady(['queue']);
      const servers = await readServerMemory(redis.queue);
      expect(new Set(servers.map((server) => server.runId)).size).toBe(3);
      expect(servers.map((server) => server.policy)).toEqual(['noeviction', 'noeviction', 'noeviction']);
      await run('redis-cli', ['-p', last, 'config', 'set', 'maxmemory-policy', 'allkeys-lru']);
      await expect(redis.verify(['queue'])).rejects.toThrow(/queue Redis .* maxmemory-policy allkeys-lru/);
    } finally {
      await run('redis-cli', ['-p', last, 'config', 'set', 'maxmemory-policy', 'noeviction']);
      await redis.close();
    }
  });
});

describe('TLS (rediss://)', () => {
  let server: RedisProcess;
  let certDir: string;
  let tlsPort: number;
  let certificate: Buffer;

  beforeAll(async () => {
    certDir = await mkdtemp(join(tmpdir(), 'redis-manager-tls-'));
    const [cert, key] = [join(certDir, 'cert.pem'), join(certDir, 'key.pem')];
    await run('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ]);
    certificate = await readFile(cert);
    tlsPort = await freePort();
    server = await RedisProcess.start({
      args: [
        ...['--port', '0', '--tls-port', String(tlsPort), ...persistence],
        ...[
          '--tls-cert-file',
          cert,
          '--tls-key-file',
          key,
          '--tls-ca-cert-file',
          cert,
          '--tls-auth-clients',
          'no',
        ],
      ],
    });
  });

  afterAll(async () => {
    await server?.stop();
    await rm(certDir, { recursive: true, force: true });
  });

  it('connects over TLS to a server it can verify, and serves every role', async () => {
    await exerciseManager({
      connection: { ...parseRedisUrl(`rediss://127.0.0.1:${tlsPort}`), tls: { ca: certificate } },
      keyPrefix: 'tls-test',
      logger,
    });
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const manager = new RedisManager({
      url: `rediss://127.0.0.1:${tlsPort}`,
      keyPrefix: 'tls-untrusted',
      logger,
    });
    try {
      const error = await manager.waitUntilReady('commands', 1_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect((error as Error).cause).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      await manager.close();
    }
  });
});
