import { errorHttpStatus } from '@chunkflow/errors';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../src/openapi.ts';

const document = buildOpenApiDocument('2.0.0');
type Operation = {
  parameters: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
  security?: unknown[];
};
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
    path,
    method,
    operation,
  })),
);

describe('OpenAPI document', () => {
  it('covers the architecture paths', () => {
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/chunking/strategies',
        '/chunking/recommend',
        '/chunking/preview',
        '/chunking/preview/{previewId}',
        '/chunking/compare',
        '/configs',
        '/configs/{id}',
      ]),
    );
  });

  it('declares X-Correlation-ID and the ErrorResponse schema on every operation', () => {
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, method, operation } of operations) {
      expect(
        operation.parameters.some((p) => p.name === 'X-Correlation-ID' && p.in === 'header'),
        `${method} ${path}`,
      ).toBe(true);
      for (const status of ['400', '404', '429', '500', '503']) {
        expect(
          operation.responses[status]?.content?.['application/json']?.schema.$ref,
          `${method} ${path} ${status}`,
        ).toBe('#/components/schemas/ErrorResponse');
      }
      expect(operation.responses['401'] !== undefined).toBe((operation.security?.length ?? 0) > 0);
    }
    expect(JSON.stringify(document.components)).not.toContain('error.BAD_REQUEST');
  });

  it('lists exactly the statuses of the error code table, 401 where a key is needed', () => {
    const tableStatuses = [...new Set(Object.values(errorHttpStatus).map(String))].sort();
    for (const { path, method, operation } of operations) {
      const documented = Object.keys(operation.responses).filter((status) => !status.startsWith('2'));
      const secured = (operation.security?.length ?? 0) > 0;
      const expected = tableStatuses.filter((status) => secured || status !== '401');
      expect(documented.sort(), `${method} ${path}`).toEqual(expected);
    }
    expect(tableStatuses).toEqual(expect.arrayContaining(['403', '499', '504']));
  });

  it('documents apply as 202 Accepted', () => {
    const apply = (document.paths?.['/chunking/apply'] as Record<string, Operation> | undefined)?.post;
    expect(Object.keys(apply?.responses ?? {})).toContain('202');
    expect(Object.keys(apply?.responses ?? {})).not.toContain('200');
  });
});
