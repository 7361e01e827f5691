// Memory bench: chunkStream over a generated document far larger than the RSS target, in a
// child process with default heap limits (no --max-old-space-size), its RSS sampled from
// outside through /proc every 20 ms (the child's own event loop is busy chunking).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

export function runMemoryBench(megabytes: number, config: object): Promise<MemoryRun> {
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
