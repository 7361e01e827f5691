// Memory bench: chunkStream over a generated document far larger than the RSS target, in a
// child process with default heap limits (no --max-old-space-size), its RSS sampled from
// outside through /proc every 20 ms (the child's own event loop is busy chunking). A process-level
// figure, so a script rather than a bench suite: `pnpm bench` runs it after the suites and it
// writes bench-results/memory.json (target: peak RSS < 256 MiB).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';

export interface MemoryRun {
  config: object;
  megabytes: number;
  result?: Record<string, unknown>;
  peakSampledRssMiB?: number;
  error?: string;
}

function rssOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // not Linux, or the child already exited
  }
}

function runMemoryBench(megabytes: number, config: object): Promise<MemoryRun> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./memory-child.ts', import.meta.url)),
      String(megabytes),
      JSON.stringify(config),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, child.pid === undefined ? 0 : (rssOf(child.pid) ?? 0));
  }, 20);
  let output = '';
  child.stdout.on('data', (data: Buffer) => {
    output += data.toString('utf8');
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(sampler);
      const run: MemoryRun = { config, megabytes };
      if (code !== 0) resolve({ ...run, error: `child exited with ${code}` });
      else
        resolve({ ...run, result: JSON.parse(output.trim()), peakSampledRssMiB: Math.round(peak / 2 ** 20) });
    });
  });
}

const TARGET_MIB = 256;
const started = benchEnvironment();
const memory = [
  await runMemoryBench(500, { strategy: 'recursive', chunkSize: 1000, chunkOverlap: 200 }),
  await runMemoryBench(100, { strategy: 'recursive', sizeUnit: 'tokens', chunkSize: 256, chunkOverlap: 32 }),
];
for (const run of memory) {
  const figures =
    run.error ??
    `${run.result?.seconds} s, peak RSS ${run.result?.peakRssMiB} MiB (sampled ${run.peakSampledRssMiB} MiB)`;
  console.log(`chunkStream ${run.megabytes} M chars, ${JSON.stringify(run.config)}: ${figures}`);
}
/** Peak RSS against the target, per run: the rows bench:check gates (lower is better). */
const ratios = memory.map((run) => ({
  name: `chunkStream ${run.megabytes} M chars ${JSON.stringify(run.config)}: peak RSS vs ${TARGET_MIB} MiB`,
  ratio: Number(run.result?.peakRssMiB) / TARGET_MIB,
  better: 'lower',
}));
writeBenchJson(fileURLToPath(new URL('../bench-results/memory.json', import.meta.url)), started, {
  memory,
  ratios,
});
if (memory.some((run) => run.error)) process.exit(1);
