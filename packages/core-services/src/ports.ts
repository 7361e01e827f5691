/** The minimal structured logger services need (pino satisfies it). */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** The authenticated caller: the tenant that owns the API key, and the key itself (for rate limits). */
export interface AuthenticatedTenant {
  id: string;
  apiKeyId: string;
}
