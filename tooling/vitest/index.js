// Plain JS: vitest loads configs with Node, which cannot import a workspace package's .ts source.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig } from 'vitest/config';
import { StampedBenchmarkReporter } from './bench-reporter.js';

/**
 * Tests run the workspace's TypeScript source, never a stale build: each package exports its
 * source under this condition (its default export is the built JavaScript).
 */
const SOURCE_CONDITION = '@chunkflow/source';

/**
 * Node resolves by the condition too in every process a test starts (servers, workers, the embedded
 * database, the chunking pool's threads): they read NODE_OPTIONS, which vitest's own workers inherit
 * from this process.
 */
function withSourceCondition() {
  const flag = `--conditions=${SOURCE_CONDITION}`;
  const current = process.env.NODE_OPTIONS ?? '';
  if (!current.split(/\s+/).includes(flag)) process.env.NODE_OPTIONS = `${current} ${flag}`.trim();
}

/**
 * Shared vitest settings: every package writes a JSON report to `.test-results/vitest.json`
 * so `npm test` can print one total line for the whole monorepo. `vitest bench` runs the
 * package's `bench/*.bench.ts` suites; with `--outputJson` the JSON also records the environment.
 * @param {import('vitest/config').ViteUserConfig} [overrides]
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function packageTestConfig(overrides = {}) {
  withSourceCondition();
  return mergeConfig(
    defineConfig({
      resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
      ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
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
