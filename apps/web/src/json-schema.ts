import type { StrategyInfo } from './api.ts';

/** The subset of JSON Schema (draft 2020-12, as zod emits it) that the config form reads. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  enum?: readonly (string | number)[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  oneOf?: readonly JsonSchema[];
  $schema?: string;
}

/** A strategy's parameters schema, as the server emits it from the engine's zod schema. */
export function parametersOf(strategy: StrategyInfo): JsonSchema {
  // The API types it as any JSON object; the server guarantees it is a JSON Schema object.
  return strategy.parametersSchema as JsonSchema;
}
