import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from './root.ts';

export const REST_BASE_PATH = '/api/v2';

export function buildOpenApiDocument(baseUrl: string, version: string): OpenAPIObject {
  return generateOpenApiDocument(appRouter, {
    title: 'Chunkflow API',
    description: 'Preview, compare and apply document-chunking strategies.',
    version,
    baseUrl: `${baseUrl}${REST_BASE_PATH}`,
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key' } },
  });
}
