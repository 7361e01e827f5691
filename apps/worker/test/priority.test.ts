import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Run in a process of its own: the test runner keeps its priority. */
const SCRIPT = `
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { runBelowServing } from './src/priority.ts';

const main = runBelowServing(7);
const thread = new Worker(
  "import { getPriority } from 'node:os'; import { parentPort } from 'node:worker_threads'; parentPort.postMessage(getPriority(0));",
  { eval: true },
);
const [started] = await once(thread, 'message');
await thread.terminate();
console.log(JSON.stringify({ main, started }));
`;

describe('worker priority', () => {
  it('runs the worker, and the threads it starts afterwards, below serving', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: join(import.meta.dirname, '..'),
    });
    expect(JSON.parse(stdout)).toEqual({ main: 7, started: 7 });
  });
});
