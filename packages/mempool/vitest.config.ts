import { packageTestConfig } from '@chunkflow/vitest-config';

// The leak test forces garbage collection to watch FinalizationRegistry reclaim a dropped lease.
export default packageTestConfig({ test: { execArgv: ['--expose-gc'] } });
