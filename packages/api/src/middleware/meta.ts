import type { RateLimitClass } from '@chunkflow/core-services';
import type { OpenApiMeta } from 'trpc-to-openapi';

/**
 * What a procedure declares about itself in `.meta()`: its REST mapping, and the rate-limit class
 * its calls count against (`reads` when not set).
 */
export type ApiMeta = OpenApiMeta & { rateLimit?: RateLimitClass };
