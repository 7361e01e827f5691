import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repositoryDir = fileURLToPath(new URL('../../../..', import.meta.url));

/** `turbo run build` for a package and what it depends on: replayed from turbo's cache when current. */
export async function buildPackage(name: string): Promise<void> {
  await run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${name}`, '--output-logs=errors-only'], {
    cwd: repositoryDir,
  });
}

/** This environment without the source condition: a built process must run on its own JavaScript. */
export function builtEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const nodeOptions = (process.env.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((option) => option !== '' && !option.startsWith('--conditions'))
    .join(' ');
  return { ...process.env, NODE_OPTIONS: nodeOptions, ...extra };
}
