// Acquire/release throughput of MemoryPool, and peak RSS while 500 MB stream through leased windows.
// Run: pnpm run bench (writes bench-results/mempool.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench, type Task } from 'tinybench';
import { MemoryPool, SharedByteBudget } from '../src/index.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const WINDOW = 64 * KiB;

async function leaseAndRelease(pool: MemoryPool, size: number): Promise<void> {
  await using lease = await pool.acquire(size);
  lease.bytes[0] = 1;
}

/**
 * The same async shape as leaseAndRelease (an awaited call, an async dispose) around a buffer already
 * held, without the pool: the gate's reference. Load from other processes slows it as much as the
 * pool's own JavaScript, so their ratio holds far steadier than a ratio to an allocation.
 */
async function touchHeldBuffer(buffer: Buffer): Promise<void> {
  await using held = await holding(buffer);
  held.bytes[0] = 1;
}

async function holding(bytes: Buffer) {
  return { bytes, [Symbol.asyncDispose]: async () => {} };
}

/** 100 tasks contending for a pool that fits 16 windows: exercises the FIFO wait queue. */
async function contendedBurst(pool: MemoryPool): Promise<void> {
  await Promise.all(Array.from({ length: 100 }, () => leaseAndRelease(pool, WINDOW)));
}

// Short rounds with the tasks interleaved, so load from other processes hits every task of a round
// alike; the check reads the median over rounds of each round's task ÷ reference (docs/performance.md,
// "Performance baseline"), far steadier than one long run of each task.
const ROUNDS = 15;
const ROUND_MS = 100;

async function measureThroughput() {
  const privatePool = new MemoryPool({ maxBytes: 64 * MiB });
  const sharedPool = new MemoryPool({ budget: SharedByteBudget.create(64 * MiB) });
  const contendedPool = new MemoryPool({ maxBytes: 16 * WINDOW });
  const heldBuffer = Buffer.allocUnsafeSlow(WINDOW);
  const tasks: Record<string, () => unknown> = {
    'acquire+release 64 KiB (reused buffer)': () => leaseAndRelease(privatePool, WINDOW),
    'acquire+release 64 KiB, shared budget': () => leaseAndRelease(sharedPool, WINDOW),
    'baseline: the same awaits around a held 64 KiB buffer': () => touchHeldBuffer(heldBuffer),
    // For readers (docs/performance.md compares the pool with allocating); `compare:` tasks are not gated.
    'compare: Buffer.allocUnsafeSlow 64 KiB': () => {
      Buffer.allocUnsafeSlow(WINDOW)[0] = 1;
    },
    '100 tasks × 64 KiB on a 16-window pool': () => contendedBurst(contendedPool),
  };
  const rounds: Task[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Only the first round warms up: the later ones run on code the first made hot.
    const bench = new Bench({ time: ROUND_MS, warmup: round === 0 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    rounds.push(await bench.run());
  }
  return {
    rounds: ROUNDS,
    tasks: Object.keys(tasks).map((name) =>
      summarise(rounds.map((tasksOfRound) => taskNamed(tasksOfRound, name))),
    ),
    contendedPoolStats: contendedPool.stats(),
  };
}

function taskNamed(tasks: Task[], name: string): Task {
  const task = tasks.find((candidate) => candidate.name === name);
  if (!task) throw new Error(`tinybench lost task ${name}`);
  return task;
}

/** One task over every round; a round that did not complete marks the task with its state. */
function summarise(runs: Task[]) {
  const name = runs[0]?.name;
  const incomplete = runs.find((task) => task.result.state !== 'completed');
  if (incomplete) {
    const { result } = incomplete;
    return {
      name,
      state: result.state,
      ...(result.state === 'errored' ? { error: result.error.message } : {}),
    };
  }
  const results = runs.map((task) => task.result).filter((result) => result.state === 'completed');
  const samples = results.reduce((sum, result) => sum + result.latency.samplesCount, 0);
  const measuredMs = results.reduce((sum, result) => sum + result.totalTime, 0);
  return {
    name,
    // Runs per second of measured time (tinybench's throughput.mean averages per-sample rates instead).
    opsPerSecond: Math.round((1000 * samples) / measuredMs),
    opsPerSecondByRound: results.map((result) => Math.round(1000 / result.period)),
    latencyP99MicrosWorstRound: round(Math.max(...results.map((result) => result.latency.p99 ?? 0)) * 1000),
    samples,
  };
}

/** Streams `totalBytes` through windows leased from a pool far smaller than the data, sampling RSS. */
async function measureStreamingRss(totalBytes: number, windowBytes: number, poolBytes: number) {
  const pool = new MemoryPool({ maxBytes: poolBytes });
  const inFlight = new Set<Promise<void>>();
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let checksum = 0;
  const started = performance.now();
  for (let offset = 0; offset < totalBytes; offset += windowBytes) {
    const lease = await pool.acquire(Math.min(windowBytes, totalBytes - offset));
    lease.bytes.fill((offset / windowBytes) & 0xff);
    // Stand-in for chunking a window: read every byte, later, while the next windows are filled.
    const work = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      using held = lease;
      for (let i = 0; i < held.bytes.length; i += 4096) checksum = (checksum + (held.bytes[i] ?? 0)) % 65_521;
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  await Promise.all(inFlight);
  return {
    totalMiB: totalBytes / MiB,
    windowKiB: windowBytes / KiB,
    poolMiB: poolBytes / MiB,
    seconds: round((performance.now() - started) / 1000),
    rssBeforeMiB: round(rssBefore / MiB),
    peakRssMiB: round(peakRss / MiB),
    checksum,
    poolStats: pool.stats(),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// Streaming first, so the RSS it reports is not inflated by the throughput runs' garbage.
const streaming = await measureStreamingRss(500 * MiB, MiB, 32 * MiB);
const throughput = await measureThroughput();
const report = { node: process.version, cpus: cpus().length, ...throughput, streaming };
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../bench-results/mempool.json', import.meta.url),
  `${JSON.stringify(report, null, 2)}\n`,
);
console.table(report.tasks, ['name', 'opsPerSecond', 'latencyP99MicrosWorstRound', 'samples', 'state']);
console.log('streaming 500 MB through 1 MiB windows of a 32 MiB pool:', streaming);
