import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';
import { schemaPath } from './support/migrations-dir.ts';
import { type SchemaShape, shapeFromDatabase, shapeFromSchema } from './support/schema-shape.ts';

let testDb: TestDatabase;
let migrated: SchemaShape;
let schemaText: string;

beforeAll(async () => {
  schemaText = await readFile(schemaPath, 'utf8');
  testDb = await createTestDatabase();
  const db = await openDatabase({ url: testDb.url });
  await db.migrate();
  await db.close();
  migrated = await shapeFromDatabase(testDb.url);
});

afterAll(() => testDb?.drop());

/** Edits the schema text, failing loudly if the edit no longer applies. */
function edited(from: string, to: string): string {
  expect(schemaText).toContain(from);
  return schemaText.replace(from, to);
}

describe('schema.prisma and the committed migrations', () => {
  it('describe the same tables, columns, indexes, foreign keys and enums', () => {
    expect(migrated).toEqual(shapeFromSchema(schemaText));
  });

  it.each([
    [
      'a column made optional',
      'tokenCount   Int        @map("token_count")',
      'tokenCount   Int?       @map("token_count")',
    ],
    [
      'a column type changed',
      'sizeBytes    Int        @map("size_bytes")',
      'sizeBytes    BigInt     @map("size_bytes")',
    ],
    ['a default changed', '@default("chunking")', '@default("chunk")'],
    ['a column added', '  label      String?\n', '  label      String?\n  scope      String?\n'],
    ['an index added', '  @@index([operationId])\n', '  @@index([operationId])\n  @@index([createdAt])\n'],
    [
      'an index made unique',
      '@@index([collectionId, createdAt])\n  @@index([tenantId])',
      '@@unique([collectionId, createdAt])\n  @@index([tenantId])',
    ],
    [
      'an index column reordered',
      '@@index([collectionId, type, status])',
      '@@index([collectionId, status, type])',
    ],
    ['a delete rule changed', 'references: [id], onDelete: SetNull', 'references: [id], onDelete: Restrict'],
    ['an enum value added', '  cancelled\n', '  cancelled\n  paused\n'],
    ['a partial index made whole', `, where: raw("status IN ('pending', 'processing')")`, ''],
  ])('differ once the schema has %s', (_change, from, to) => {
    expect(migrated).not.toEqual(shapeFromSchema(edited(from, to)));
  });
});
