import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const routersDir = join(import.meta.dirname, '../src/routers');
const routerFiles = (readdirSync(routersDir, { recursive: true }) as string[]).filter((name) =>
  name.endsWith('.ts'),
);

/**
 * Every resolver is `({ ctx, input }) => ctx.services.<service>.<method>(…)`, or for a served form
 * `<name>Answers.<method>(ctx, …)` (the service's answer as prepared wire text): one call, no logic.
 */
const ONE_LINE_RESOLVER =
  /\.(?:query|mutation|subscription)\(\s*\(\{[^}]*\}\) =>\s*(?:ctx\.services\.\w+|\w+Answers)\.\w+\([^;{}]*\),?\s*\)/g;
const ANY_RESOLVER = /\.(?:query|mutation|subscription)\(/g;

describe('routers stay thin', () => {
  it.each(routerFiles)('%s is under 50 lines', (file) => {
    const lines = readFileSync(join(routersDir, file), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThan(50);
  });

  it.each(routerFiles)('%s has only one-call resolvers', (file) => {
    const source = readFileSync(join(routersDir, file), 'utf8');
    const resolvers = source.match(ANY_RESOLVER) ?? [];
    const oneLiners = source.match(ONE_LINE_RESOLVER) ?? [];
    expect(oneLiners).toHaveLength(resolvers.length);
    // A file without resolvers only merges procedure groups: it builds no procedure of its own.
    if (resolvers.length === 0) expect(source).not.toMatch(/\.(?:use|input|output|meta)\(/);
  });
});
