import { beforeAll, describe, expect, it } from 'vitest';
import { resultTable } from '../hostile/report.ts';
import { scenarios } from '../hostile/scenarios/index.ts';
import { runHostileSuite, type SuiteResult } from '../hostile/suite.ts';

/**
 * `pnpm hostile --short` on the embedded default, inside `npm test`: a server process of its own is
 * attacked by every class of the security review. Asserted are outcomes only (a 2xx or a typed 4xx,
 * never a 5xx; what each class must leave true; server alive; data intact; no key in the log). The
 * times, `/healthz` stalls and RSS growth it measures are printed, never asserted.
 */
describe('hostile suite (short mode, embedded)', () => {
  let suite: SuiteResult;

  beforeAll(async () => {
    suite = await runHostileSuite({ mode: 'short', backend: 'embedded' });
    // The measured figures, for whoever reads the test log.
    console.info(resultTable(suite));
    // A hardened server takes well under a minute; an unhardened one makes attacks wait out the
    // harness's patience (several minutes), which then fail on their outcome, not on this timeout.
  }, 900_000);

  it.each(scenarios.map((scenario) => scenario.name))('%s: answered as required', (name) => {
    const result = suite.results.find((candidate) => candidate.name === name);
    expect(result, `${name} ran`).toBeDefined();
    const outcome = result?.outcome;
    expect(
      outcome?.passed,
      `${name}: got ${outcome?.answer}; expected ${outcome?.expected}. ${outcome?.detail ?? ''}`,
    ).toBe(true);
  });

  it('leaves the server alive', () => {
    expect(suite.alive).toBe(true);
  });

  it('loses none of the data stored before the attacks', () => {
    expect(suite.dataLost).toEqual([]);
  });

  it('writes no API key to the server log', () => {
    expect(suite.keysInLog).toBe(0);
  });
});
