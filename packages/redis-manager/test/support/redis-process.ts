import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Cluster nodes also listen on port + 10000 (the cluster bus); find a port where both are free. */
export async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port >= 55_535) continue;
    const bus = createServer();
    const busFree = await new Promise<boolean>((resolve) => {
      bus.once('error', () => resolve(false));
      bus.listen(port + 10_000, '127.0.0.1', () => resolve(true));
    });
    if (busFree) {
      bus.close();
      await once(bus, 'close');
      return port;
    }
  }
}

export interface RedisProcessOptions {
  /** Contents of a config file (sentinel mode needs a writable one); command-line args follow it. */
  config?: string;
  args: string[];
  /** Log line that says the server accepts connections. */
  ready?: RegExp;
}

/**
 * A private redis-server child process that a test may kill, freeze and restart, so the
 * machine's shared Redis is never disturbed.
 */
export class RedisProcess {
  readonly #options: RedisProcessOptions;
  readonly #dir: string;
  #child: ChildProcess | undefined;

  private constructor(options: RedisProcessOptions, dir: string) {
    this.#options = options;
    this.#dir = dir;
  }

  static async start(options: RedisProcessOptions): Promise<RedisProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'redis-manager-test-'));
    const server = new RedisProcess(options, dir);
    await server.restart();
    return server;
  }

  /** A private standalone server without persistence on a free port. */
  static async standalone(extraArgs: string[] = []): Promise<RedisProcess & { port: number }> {
    const port = await freePort();
    const server = await RedisProcess.start({
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    });
    return Object.assign(server, { port });
  }

  get directory(): string {
    return this.#dir;
  }

  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error('already running');
    const args = [...this.#options.args, '--dir', this.#dir];
    if (this.#options.config !== undefined) {
      const configFile = join(this.#dir, 'redis.conf');
      await writeFile(configFile, this.#options.config);
      args.unshift(configFile);
    }
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const ready = this.#options.ready ?? /Ready to accept connections/;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data.toString();
        if (ready.test(output)) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}) before ready:\n${output}`)),
      );
    });
  }

  /** SIGKILL: the connections drop with no goodbye, as when the host dies. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }

  /** SIGSTOP: connections stay open but nothing answers, as on a network partition. */
  freeze(): void {
    this.#child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.#child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.kill();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
