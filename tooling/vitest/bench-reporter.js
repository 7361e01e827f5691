// vitest's benchmark reporter, plus the run's environment in the JSON it writes (--outputJson):
// the machine, Node version, date and load average at start and end, and file paths relative to
// the package, so a committed results file says where its figures came from.
import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { BenchmarkReporter } from 'vitest/node';
import { benchEnvironment, finishedEnvironment } from './environment.js';

export class StampedBenchmarkReporter extends BenchmarkReporter {
  /** @type {import('./environment.d.ts').BenchEnvironment | undefined} */
  started;

  /** @param {Parameters<BenchmarkReporter['onInit']>} args */
  async onInit(...args) {
    this.started = benchEnvironment();
    await super.onInit(...args);
  }

  /** @param {Parameters<BenchmarkReporter['onTestRunEnd']>} args */
  async onTestRunEnd(...args) {
    await super.onTestRunEnd(...args);
    const outputJson = this.ctx.config.benchmark?.outputJson;
    if (!outputJson || !this.started) return;
    const root = this.ctx.config.root;
    const path = resolve(root, outputJson);
    const report = JSON.parse(await readFile(path, 'utf8'));
    const files = report.files.map((/** @type {{ filepath: string }} */ file) => ({
      ...file,
      filepath: relative(root, file.filepath),
    }));
    const stamped = { environment: finishedEnvironment(this.started), files };
    await writeFile(path, `${JSON.stringify(stamped, null, 2)}\n`);
  }
}
