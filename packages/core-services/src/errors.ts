import { recognizePrismaError } from '@chunkflow/db';
import { ExceptionTranslator } from '@chunkflow/errors';
import { recognizeRedisError } from '@chunkflow/redis-manager';

/** Knows every infrastructure error family this service stack can raise, most specific first. */
export const exceptionTranslator = new ExceptionTranslator([recognizePrismaError, recognizeRedisError]);
