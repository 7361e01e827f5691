import { errorHttpStatus } from '@chunkflow/errors';
import { z } from 'zod';
import type { ApiMeta } from '../src/middleware/meta.ts';
import { buildOpenApiDocument } from '../src/openapi.ts';
import { appRouter } from '../src/root.ts';
import type { ApiShapes, ProcedureShape } from './compat-api-diff.ts';
import type { JsonSchema } from './compat-json-schema.ts';

interface ProcedureDefinition {
  type: string;
  inputs: unknown[];
  output?: unknown;
  meta?: ApiMeta;
}

/** superjson carries Dates over tRPC: recorded as date-time strings marked as Dates. */
function toJsonSchema(schema: unknown, io: 'input' | 'output'): JsonSchema {
  if (!(schema instanceof z.ZodType)) throw new Error('every procedure parser must be a zod schema');
  return z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override(context) {
      if (context.zodSchema._zod.def.type === 'date') {
        Object.assign(context.jsonSchema, { type: 'string', format: 'date-time', 'x-superjson': 'Date' });
      }
    },
  }) as JsonSchema;
}

/** Chained `.input()` calls are merged by tRPC: their object shapes combine. */
function mergedInput(inputs: unknown[]): JsonSchema | undefined {
  const schemas = inputs.map((input) => toJsonSchema(input, 'input'));
  if (schemas.length <= 1) return schemas[0];
  return {
    ...schemas[0],
    properties: Object.assign({}, ...schemas.map((schema) => schema.properties)),
    required: schemas.flatMap((schema) => (schema.required as string[] | undefined) ?? []),
  };
}

function procedureShape(definition: ProcedureDefinition): ProcedureShape {
  const openapi = definition.meta?.openapi;
  const input = mergedInput(definition.inputs);
  return {
    type: definition.type,
    ...(openapi ? { rest: `${openapi.method} ${openapi.path}` } : {}),
    ...(input ? { input } : {}),
    ...(definition.output ? { output: toJsonSchema(definition.output, 'output') } : {}),
  };
}

/** The API this commit serves, in the form the snapshot records. */
export function liveApiShapes(version: string): ApiShapes {
  // At runtime the router keeps its procedures flat, keyed by dotted path ("chunking.preview").
  const flat = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDefinition }>;
  const procedures = Object.entries(flat)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, procedure]) => [name, procedureShape(procedure._def)]);
  return {
    procedures: Object.fromEntries(procedures),
    // A JSON round trip: the live document compares exactly as its recorded copy will.
    openapi: JSON.parse(JSON.stringify(buildOpenApiDocument(version))) as JsonSchema,
    errorCodes: { ...errorHttpStatus },
  };
}
