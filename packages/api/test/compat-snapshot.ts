import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiShapes } from './compat-api-diff.ts';

/** The recorded API (docs/api-compatibility.md): rewritten only by `pnpm api:snapshot` / `api:accept`. */
export const SNAPSHOT_DIR = join(import.meta.dirname, '../snapshots');

const files = {
  procedures: 'procedures.json',
  openapi: 'openapi.json',
  errorCodes: 'error-codes.json',
} as const satisfies Record<keyof ApiShapes, string>;

export const snapshotFiles = Object.values(files).map((file) => join(SNAPSHOT_DIR, file));

const read = (file: string): unknown => JSON.parse(readFileSync(join(SNAPSHOT_DIR, file), 'utf8'));

export function readSnapshot(): ApiShapes {
  return {
    procedures: read(files.procedures) as ApiShapes['procedures'],
    openapi: read(files.openapi) as ApiShapes['openapi'],
    errorCodes: read(files.errorCodes) as ApiShapes['errorCodes'],
  };
}

/** The API version the snapshot was recorded at (the OpenAPI document's `info.version`). */
export function snapshotVersion(shapes: ApiShapes): string {
  return String((shapes.openapi.info as { version?: unknown } | undefined)?.version);
}

export function writeSnapshot(shapes: ApiShapes): void {
  for (const key of Object.keys(files) as (keyof ApiShapes)[]) {
    writeFileSync(join(SNAPSHOT_DIR, files[key]), `${JSON.stringify(shapes[key], null, 2)}\n`);
  }
}
