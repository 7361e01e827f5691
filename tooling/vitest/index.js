// Plain JS: vitest loads configs with Node, which cannot import a workspace package's .ts source.
import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * Shared vitest settings: every package writes a JSON report to `.test-results/vitest.json`
 * so `npm test` can print one total line for the whole monorepo.
 * @param {import('vitest/config').ViteUserConfig} [overrides]
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function packageTestConfig(overrides = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
        reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    }),
    overrides,
  );
}
