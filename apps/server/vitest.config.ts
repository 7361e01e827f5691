import { packageTestConfig } from '@chunkflow/vitest-config';

export default packageTestConfig({
  test: {
    globalSetup: ['test/support/embedded-template.ts'],
    // Two test files at a time (vitest's default on two cores is one): most of these tests wait on
    // servers, workers and databases they start, so the second file fills the idle core.
    maxWorkers: 2,
  },
});
