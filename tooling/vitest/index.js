// Plain JS: vitest loads configs with Node, which cannot import a workspace package's .ts source.
import { defineConfig, mergeConfig } from 'vitest/config';
import { StampedBenchmarkReporter } from './bench-reporter.js';

/**
 * Shared vitest settings: every package writes a JSON report to `.test-results/vitest.json`
 * so `npm test` can print one total line for the whole monorepo. `vitest bench` runs the
 * package's `bench/*.bench.ts` suites; with `--outputJson` the JSON also records the environment.
 * @param {import('vitest/config').ViteUserConfig} [overrides]
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function packageTestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
        // Safety nets against a hang, not speed checks: CI runs two packages at once on two cores,
        // and a test that starts servers, workers and databases can take tens of seconds there.
        testTimeout: 90_000,
        hookTimeout: 120_000,
        benchmark: {
          include: ['bench/**/*.bench.ts'],
          reporters: [new StampedBenchmarkReporter()],
        },
      },
    }),
    overrides,
  );
}
