import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { InvalidConfigError } from '@chunkflow/errors';

export interface RedisNode {
  host: string;
  port: number;
}

interface Credentials {
  username?: string | undefined;
  password?: string | undefined;
  /** Extra TLS settings (CA, client certificate, servername); setting them turns TLS on. */
  tls?: TlsOptions | undefined;
}

export interface StandaloneConfig extends Credentials {
  kind: 'standalone';
  host: string;
  port: number;
  db: number;
  useTls: boolean;
}

export interface SentinelConfig extends Credentials {
  kind: 'sentinel';
  sentinels: RedisNode[];
  masterName: string;
  db: number;
  useTls: boolean;
  sentinelUsername?: string | undefined;
  sentinelPassword?: string | undefined;
}

export interface ClusterConfig extends Credentials {
  kind: 'cluster';
  nodes: RedisNode[];
  useTls: boolean;
}

/** Where Redis is: one server, a Sentinel-monitored master, or a Cluster. */
export type RedisConnectionConfig = StandaloneConfig | SentinelConfig | ClusterConfig;

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

const SCHEMES = {
  'redis:': { kind: 'standalone', useTls: false },
  'rediss:': { kind: 'standalone', useTls: true },
  'redis+sentinel:': { kind: 'sentinel', useTls: false },
  'rediss+sentinel:': { kind: 'sentinel', useTls: true },
  'redis+cluster:': { kind: 'cluster', useTls: false },
  'rediss+cluster:': { kind: 'cluster', useTls: true },
} as const;

type Scheme = keyof typeof SCHEMES;

// scheme://[user[:password]@]host[:port][,host[:port]...][/path][?query]; WHATWG URL cannot hold host lists.
const URL_SHAPE = /^([a-z+]+:)\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;

const QUERY_KEYS: Record<RedisConnectionConfig['kind'], readonly string[]> = {
  standalone: [],
  sentinel: ['sentinelUsername', 'sentinelPassword'],
  cluster: [],
};

function invalid(reason: string): InvalidConfigError {
  // The URL itself is never quoted: it may hold a password.
  return new InvalidConfigError(`Invalid Redis URL: ${reason}`, 'REDIS_URL');
}

function isScheme(value: string): value is Scheme {
  return Object.hasOwn(SCHEMES, value);
}

function parsePort(text: string, defaultPort: number): number {
  if (text === '') return defaultPort;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) throw invalid(`port "${text}" is not 1-65535`);
  return port;
}

function parseNode(text: string, defaultPort: number): RedisNode {
  // [IPv6]:port, host:port, or a bare host.
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d*))?$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  if (match === null || host === undefined) throw invalid(`"${text}" is not host[:port]`);
  return { host, port: parsePort(match[3] ?? '', defaultPort) };
}

function parseDb(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,2}$/.test(text)) throw invalid(`database "${text}" is not a number`);
  return Number(text);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('percent-encoding is malformed');
  }
}

function decodeOptional(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : decode(text);
}

function parseQuery(query: string | undefined, kind: RedisConnectionConfig['kind']): Map<string, string> {
  const params = new URLSearchParams(query ?? '');
  const allowed = QUERY_KEYS[kind];
  for (const key of params.keys()) {
    if (!allowed.includes(key)) throw invalid(`unknown parameter "${key}" for a ${kind} URL`);
  }
  return new Map(params);
}

/**
 * Parses the URL forms we accept (see README):
 * `redis[s]://[user:password@]host[:port][/db]`,
 * `redis[s]+sentinel://[user:password@]host[:port],…/masterName[/db][?sentinelPassword=…]`,
 * `redis[s]+cluster://[user:password@]host[:port],…`.
 */
export function parseRedisUrl(url: string): RedisConnectionConfig {
  const match = URL_SHAPE.exec(url.trim());
  const schemeText = match?.[1]?.toLowerCase();
  if (match === null || schemeText === undefined || !isScheme(schemeText)) {
    throw invalid(`expected one of ${Object.keys(SCHEMES).join(', ')}//…`);
  }
  const { kind, useTls } = SCHEMES[schemeText];
  const [userText, passwordText] = splitOnce(match[2] ?? '', ':');
  const credentials = { username: decodeOptional(userText), password: decodeOptional(passwordText) };
  const hostList = match[3] ?? '';
  if (hostList === '') throw invalid('no host');
  const pathParts = (match[4] ?? '').split('/').filter((part) => part !== '');
  const query = parseQuery(match[5], kind);

  if (kind === 'sentinel') {
    const [masterName, db, ...rest] = pathParts;
    if (masterName === undefined) throw invalid('a Sentinel URL needs the master name as its path');
    if (rest.length > 0) throw invalid('path must be /masterName[/db]');
    return {
      kind,
      useTls,
      ...credentials,
      sentinels: hostList.split(',').map((node) => parseNode(node, DEFAULT_SENTINEL_PORT)),
      masterName: decode(masterName),
      db: parseDb(db),
      sentinelUsername: query.get('sentinelUsername'),
      sentinelPassword: query.get('sentinelPassword'),
    };
  }
  if (kind === 'cluster') {
    if (pathParts.length > 0) throw invalid('a Cluster URL has no database path (Cluster only has db 0)');
    return {
      kind,
      useTls,
      ...credentials,
      nodes: hostList.split(',').map((node) => parseNode(node, DEFAULT_PORT)),
    };
  }
  if (hostList.includes(',')) throw invalid('several hosts need redis+sentinel:// or redis+cluster://');
  if (pathParts.length > 1) throw invalid('path must be /db');
  return { kind, useTls, ...credentials, ...parseNode(hostList, DEFAULT_PORT), db: parseDb(pathParts[0]) };
}

function splitOnce(text: string, separator: string): [string | undefined, string | undefined] {
  if (text === '') return [undefined, undefined];
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function formatNode({ host, port }: RedisNode): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A one-line description for logs: never includes credentials. */
export function describeConnection(config: RedisConnectionConfig): string {
  const scheme = config.useTls ? 'rediss' : 'redis';
  switch (config.kind) {
    case 'standalone':
      return `${scheme}://${formatNode(config)}/${config.db}`;
    case 'sentinel':
      return `${scheme}+sentinel://${config.sentinels.map(formatNode).join(',')}/${config.masterName}/${config.db}`;
    case 'cluster':
      return `${scheme}+cluster://${config.nodes.map(formatNode).join(',')}`;
  }
}
