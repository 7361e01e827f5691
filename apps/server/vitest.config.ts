import { packageTestConfig } from '@chunkflow/vitest-config';

export default packageTestConfig({
  test: { globalSetup: ['test/support/embedded-template.ts'] },
});
