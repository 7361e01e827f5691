import { packageTestConfig } from '@chunkflow/vitest-config';

export default packageTestConfig();
