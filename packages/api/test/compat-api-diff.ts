import { dereference, isSchema, type JsonSchema } from './compat-json-schema.ts';
import { compareSchemas } from './compat-schema-rules.ts';

/** One tRPC procedure as a client sees it: how it is called and what goes in and out. */
export interface ProcedureShape {
  type: string;
  /** `METHOD /path` under the REST base, when the procedure is also served over REST. */
  rest?: string;
  input?: JsonSchema;
  output?: JsonSchema;
}

/** Everything a client of this commit may depend on (see packages/api/snapshots). */
export interface ApiShapes {
  procedures: Record<string, ProcedureShape>;
  openapi: JsonSchema;
  /** Application error code → HTTP status. */
  errorCodes: Record<string, number>;
}

export interface ApiDiff {
  /** Changes that can break an existing client, each naming what broke. */
  breaks: string[];
  /** New procedures, REST operations and error codes (field-level additions are not listed). */
  additions: string[];
}

const derefOwn = (schema: JsonSchema | undefined) => (schema ? dereference(schema, schema) : {});

export function diffProcedures(
  before: Record<string, ProcedureShape>,
  after: Record<string, ProcedureShape>,
): ApiDiff {
  const breaks: string[] = [];
  for (const [name, previous] of Object.entries(before)) {
    const next = after[name];
    if (!next) {
      breaks.push(`procedure ${name} removed`);
      continue;
    }
    if (previous.type !== next.type)
      breaks.push(`procedure ${name} changed from ${previous.type} to ${next.type}`);
    if (previous.rest && previous.rest !== next.rest) {
      breaks.push(`procedure ${name} no longer served at REST ${previous.rest}`);
    }
    breaks.push(...compareSchemas(derefOwn(previous.input), derefOwn(next.input), 'input', `${name} input`));
    if (previous.output) {
      breaks.push(
        ...compareSchemas(derefOwn(previous.output), derefOwn(next.output), 'output', `${name} output`),
      );
    }
  }
  const additions = Object.keys(after)
    .filter((name) => !(name in before))
    .map((name) => `procedure ${name} added`);
  return { breaks, additions };
}

type Operation = JsonSchema & {
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses?: Record<string, JsonSchema>;
  security?: unknown[];
};

function operationsOf(document: JsonSchema): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, JsonSchema>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (isSchema(operation)) operations.set(`${method.toUpperCase()} ${path}`, operation as Operation);
    }
  }
  return operations;
}

const parameterKey = (parameter: JsonSchema) =>
  `${String(parameter.in)} ${parameter.in === 'header' ? String(parameter.name).toLowerCase() : String(parameter.name)}`;

const jsonBody = (holder: JsonSchema | undefined) =>
  ((holder?.content as Record<string, JsonSchema> | undefined)?.['application/json']?.schema ?? undefined) as
    | JsonSchema
    | undefined;

function compareParameters(key: string, before: Operation, after: Operation): string[] {
  const previous = new Map(
    (before.parameters ?? []).map((parameter) => [parameterKey(parameter), parameter]),
  );
  const next = new Map((after.parameters ?? []).map((parameter) => [parameterKey(parameter), parameter]));
  const breaks: string[] = [];
  for (const [name, parameter] of previous) {
    const counterpart = next.get(name);
    if (!counterpart) breaks.push(`${key}: parameter ${name} removed`);
    else breaks.push(...compareSchemas(parameter.schema, counterpart.schema, 'input', `${key} ${name}`));
  }
  for (const [name, parameter] of next) {
    if (parameter.required === true && previous.get(name)?.required !== true) {
      breaks.push(`${key}: parameter ${name} newly required`);
    }
  }
  return breaks;
}

function compareBodies(key: string, before: Operation, after: Operation): string[] {
  const breaks: string[] = [];
  if (before.requestBody && !after.requestBody) breaks.push(`${key}: request body no longer read`);
  if (after.requestBody?.required === true && before.requestBody?.required !== true) {
    breaks.push(`${key}: request body newly required`);
  }
  const previous = jsonBody(before.requestBody);
  const next = jsonBody(after.requestBody);
  if (previous && next) breaks.push(...compareSchemas(previous, next, 'input', `${key} body`));
  return breaks;
}

function compareResponses(key: string, before: Operation, after: Operation): string[] {
  const breaks: string[] = [];
  for (const [status, response] of Object.entries(before.responses ?? {})) {
    const counterpart = after.responses?.[status];
    if (!counterpart) {
      // A documented error status that disappears breaks no client; a success status does.
      if (status.startsWith('2')) breaks.push(`${key}: no longer answers ${status}`);
      continue;
    }
    const previous = jsonBody(response);
    if (previous)
      breaks.push(...compareSchemas(previous, jsonBody(counterpart) ?? {}, 'output', `${key} ${status}`));
  }
  return breaks;
}

export function diffOpenApi(before: JsonSchema, after: JsonSchema): ApiDiff {
  const previous = operationsOf(dereference(before, before) as JsonSchema);
  const next = operationsOf(dereference(after, after) as JsonSchema);
  const breaks: string[] = [];
  for (const [key, operation] of previous) {
    const counterpart = next.get(key);
    if (!counterpart) {
      breaks.push(`REST ${key} removed`);
      continue;
    }
    if ((operation.security?.length ?? 0) === 0 && (counterpart.security?.length ?? 0) > 0) {
      breaks.push(`REST ${key}: now requires authentication`);
    }
    breaks.push(
      ...compareParameters(`REST ${key}`, operation, counterpart),
      ...compareBodies(`REST ${key}`, operation, counterpart),
      ...compareResponses(`REST ${key}`, operation, counterpart),
    );
  }
  const additions = [...next.keys()].filter((key) => !previous.has(key)).map((key) => `REST ${key} added`);
  return { breaks, additions };
}

export function diffErrorCodes(before: Record<string, number>, after: Record<string, number>): ApiDiff {
  const breaks = Object.entries(before).flatMap(([code, status]) =>
    after[code] === undefined
      ? [`error code ${code} removed`]
      : after[code] !== status
        ? [`error code ${code} now answers HTTP ${after[code]} (was ${status})`]
        : [],
  );
  const additions = Object.keys(after)
    .filter((code) => !(code in before))
    .map((code) => `error code ${code} added`);
  return { breaks, additions };
}

/** Compares a recorded API with the live one: procedures, REST document and error codes. */
export function diffApi(before: ApiShapes, after: ApiShapes): ApiDiff {
  const parts = [
    diffProcedures(before.procedures, after.procedures),
    diffOpenApi(before.openapi, after.openapi),
    diffErrorCodes(before.errorCodes, after.errorCodes),
  ];
  return { breaks: parts.flatMap((part) => part.breaks), additions: parts.flatMap((part) => part.additions) };
}
