// The root scripts' own tests (bench-check), run by `pnpm test:scripts` and counted by `npm test`.
import { packageTestConfig } from '../tooling/vitest/index.js';

export default packageTestConfig({ root: import.meta.dirname, test: { include: ['**/*.test.ts'] } });
