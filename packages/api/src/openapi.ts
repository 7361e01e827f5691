import { errorCodes, errorCodesByStatus, errorCodeTable } from '@chunkflow/errors';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { EXPORT_PATH, exportPathItem } from './export-openapi.ts';
import { IMPORT_PATH, importPathItem } from './import-openapi.ts';
import { procedureMetas } from './middleware/meta.ts';
import { appRouter } from './root.ts';

export const REST_BASE_PATH = '/api/v2';

/** Every status the error code table answers, described by the codes that answer it. */
function errorStatuses(): Array<[string, string]> {
  return [...errorCodesByStatus()].map(([status, codes]) => [
    String(status),
    codes.map((code) => `${code}: ${errorCodeTable[code].description}`).join('; '),
  ]);
}

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const errorResponseSchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'correlationId'],
      properties: {
        code: { type: 'string', enum: errorCodes, description: 'Stable application error code' },
        message: { type: 'string', description: 'Safe, human-readable explanation' },
        correlationId: { type: 'string', description: 'The request’s id, also in X-Correlation-ID' },
        details: {
          type: 'object',
          additionalProperties: true,
          description: 'e.g. field, issues, retryAfter',
        },
      },
    },
  },
};

const correlationHeader = {
  name: 'X-Correlation-ID',
  in: 'header',
  required: false,
  description: 'Your id for this request (1–128 of A–Z a–z 0–9 . _ : -); generated when absent, echoed back',
  schema: { type: 'string', maxLength: 128 },
};

type Operation = { parameters?: unknown[]; responses?: Record<string, unknown>; security?: unknown[] };

/** The success status each REST operation declares (`successStatus`), by `<method> <path>`. */
function declaredSuccessStatuses(): Map<string, number> {
  const statuses = new Map<string, number>();
  for (const { openapi, successStatus } of procedureMetas(appRouter).values()) {
    if (openapi && successStatus)
      statuses.set(`${openapi.method.toLowerCase()} ${openapi.path}`, successStatus);
  }
  return statuses;
}

/**
 * The generated document describes errors in tRPC's shape; REST clients receive our envelope.
 * Every operation gets the correlation header, and every error status the `ErrorResponse` schema.
 */
function withRestConventions(document: OpenAPIObject): OpenAPIObject {
  const schemas = Object.fromEntries(
    Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith('error.')),
  );
  const successStatuses = declaredSuccessStatuses();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      operation.parameters = [...(operation.parameters ?? []), correlationHeader];
      // The adapter always documents 200; a procedure's `successStatus` says what it answers.
      const successStatus = String(successStatuses.get(`${method} ${path}`) ?? 200);
      const successes = Object.entries(operation.responses ?? {})
        .filter(([status]) => status.startsWith('2'))
        .map(([status, response]) => [status === '200' ? successStatus : status, response] as const);
      const errors = errorStatuses()
        .filter(([status]) => status !== '401' || (operation.security?.length ?? 0) > 0)
        .map(([status, description]) => [
          status,
          {
            description,
            headers: { 'X-Correlation-ID': { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
          },
        ]);
      operation.responses = Object.fromEntries([...successes, ...errors]);
    }
  }
  return {
    ...document,
    components: { ...document.components, schemas: { ...schemas, ErrorResponse: errorResponseSchema } },
  };
}

/** Servers are relative (`/api/v2`), so one document serves every host the API is reached at. */
export function buildOpenApiDocument(version: string): OpenAPIObject {
  const generated = generateOpenApiDocument(appRouter, {
    title: 'Chunkflow API',
    description:
      'Preview, compare and apply document-chunking strategies. Every error answers `{ error: { code, message, correlationId, details? } }`.',
    version,
    baseUrl: REST_BASE_PATH,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key' } },
  });
  return withRestConventions({
    ...generated,
    paths: { ...generated.paths, [EXPORT_PATH]: exportPathItem(), [IMPORT_PATH]: importPathItem() },
  });
}
