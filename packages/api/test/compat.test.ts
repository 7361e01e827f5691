import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApiShapes, diffApi } from './compat-api-diff.ts';
import type { JsonSchema } from './compat-json-schema.ts';
import { readApiVersionConstant } from './compat-release.ts';
import { liveApiShapes } from './compat-shapes.ts';
import { readSnapshot, snapshotVersion } from './compat-snapshot.ts';

const recorded = readSnapshot();
const version = snapshotVersion(recorded);
const live = liveApiShapes(version);

const properties = (schema: JsonSchema | undefined) => schema?.properties as Record<string, unknown>;

describe('the API against its snapshot (packages/api/snapshots)', () => {
  it('breaks no client of the recorded API', () => {
    const { breaks } = diffApi(recorded, live);
    expect(
      breaks,
      `Breaking API changes:\n  ${breaks.join('\n  ')}\nRestore compatibility, or accept the break with \`pnpm api:accept\` (docs/api-compatibility.md).`,
    ).toEqual([]);
  });

  it('was recorded at the version the server announces', () => {
    const app = readFileSync(join(import.meta.dirname, '../../../apps/server/src/app.ts'), 'utf8');
    expect(readApiVersionConstant(app)).toBe(version);
  });

  it('names a procedure, a REST path and a response field that disappear from the live API', () => {
    const changed = structuredClone(live) as ApiShapes;
    delete changed.procedures['chunking.compare'];
    delete (changed.openapi.paths as Record<string, unknown>)['/chunking/compare'];
    delete properties(changed.procedures['chunking.preview']?.output).previewId;
    const { breaks } = diffApi(live, changed);
    expect(breaks).toEqual(
      expect.arrayContaining([
        'procedure chunking.compare removed',
        'REST POST /chunking/compare removed',
        'chunking.preview output.previewId: response field removed',
      ]),
    );
  });

  it('lets a new procedure and a new optional input field through', () => {
    const changed = structuredClone(live) as ApiShapes;
    changed.procedures['chunking.explain'] = { type: 'query', output: { type: 'object' } };
    properties(changed.procedures['chunking.preview']?.input).dryRun = { type: 'boolean' };
    const { breaks, additions } = diffApi(live, changed);
    expect(breaks).toEqual([]);
    expect(additions).toContain('procedure chunking.explain added');
  });
});
