import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './load.ts';

/**
 * `pnpm load [--scenario preview-heavy|mixed|all] [--duration 300] [--connections 50] [--servers 1]
 * [--rate R] [--out docs/load]` (or LOAD_SCENARIO, LOAD_DURATION, LOAD_CONNECTIONS, LOAD_SERVERS,
 * LOAD_RATE, LOAD_OUT):
 * runs the scenarios against real server processes on this machine's PostgreSQL and Redis and
 * prints each report.
 */
const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: process.env.LOAD_SCENARIO ?? 'preview-heavy' },
    duration: { type: 'string', default: process.env.LOAD_DURATION ?? '300' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '50' },
    servers: { type: 'string', default: process.env.LOAD_SERVERS ?? '1' },
    rate: { type: 'string', default: process.env.LOAD_RATE },
    out: { type: 'string', default: process.env.LOAD_OUT ?? join(import.meta.dirname, '../../../docs/load') },
  },
});

const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
if (!Number.isInteger(durationSeconds) || durationSeconds < 1)
  throw new Error('--duration: whole seconds ≥ 1');
if (!Number.isInteger(connections) || connections < 1) throw new Error('--connections: a whole number ≥ 1');
const servers = Number(values.servers);
if (!Number.isInteger(servers) || servers < 1) throw new Error('--servers: a whole number ≥ 1');
const ratePerSecond = values.rate === undefined ? undefined : Number(values.rate);
if (ratePerSecond !== undefined && !(ratePerSecond > 0)) throw new Error('--rate: requests per second > 0');
const selected = values.scenario === 'all' ? ['preview-heavy', 'mixed'] : [values.scenario];

const reports = await runLoad({
  scenarios: selected,
  budget: { seconds: durationSeconds },
  connections,
  servers,
  ratePerSecond,
  // Relative to where `pnpm load` was typed (pnpm runs this from apps/server).
  outputDir: resolve(process.env.INIT_CWD ?? process.cwd(), values.out),
  command: `pnpm load --scenario ${values.scenario} --duration ${durationSeconds} --connections ${connections}${servers > 1 ? ` --servers ${servers}` : ''}${ratePerSecond === undefined ? '' : ` --rate ${ratePerSecond}`}`,
});
for (const report of reports) {
  process.stdout.write(`${report.markdown}\nWritten: ${report.files.join(', ')}\n\n`);
}
const missed = reports.flatMap((report) => report.result.targets.filter((check) => !check.met));
process.stdout.write(
  missed.length === 0
    ? 'Every target met.\n'
    : `Targets missed: ${missed.map((check) => check.name).join('; ')}\n`,
);
