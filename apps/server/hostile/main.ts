import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resultTable, suitePassed, writeResults } from './report.ts';
import { runHostileSuite } from './suite.ts';

/**
 * `pnpm hostile [--short] [--backend embedded|services] [--only NAME[,NAME…]] [--out FILE]`: starts a
 * server process of its own, attacks it with every class of the security review, prints the table
 * and writes the results as JSON. Exits 1 when an outcome is not as required.
 */
const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'embedded' },
    only: { type: 'string' },
    out: { type: 'string', default: join(import.meta.dirname, '../hostile-results/hostile.json') },
  },
});
if (values.backend !== 'embedded' && values.backend !== 'services') {
  throw new Error('--backend: embedded or services');
}
const suite = await runHostileSuite({
  mode: values.short ? 'short' : 'full',
  backend: values.backend,
  ...(values.only ? { only: values.only.split(',') } : {}),
  onResult: (result) =>
    process.stderr.write(
      `${result.outcome.passed ? 'pass' : 'FAIL'} ${result.name}: ${result.outcome.answer} (${Math.round(result.ms)} ms)\n`,
    ),
});
// Relative to where `pnpm hostile` was typed (pnpm runs this from apps/server).
const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
await writeResults(out, suite);
process.stdout.write(`${resultTable(suite)}\nWritten: ${out}\n`);
process.exit(suitePassed(suite) ? 0 : 1);
