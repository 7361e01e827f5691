import { backendEnvironmentSchema, optionalSecretSetting } from '@chunkflow/core-services';
import { z } from 'zod';

const serverEnvironmentSchema = backendEnvironmentSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  BOOTSTRAP_API_KEY: optionalSecretSetting,
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 1024 * 1024),
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(20),
});

export type ServerConfig = z.infer<typeof serverEnvironmentSchema>;

/** Reads the documented environment variables (README "Configuration"); bad values stop start-up. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  return serverEnvironmentSchema.parse(environment);
}
