import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffErrorCodes, diffOpenApi, diffProcedures } from './compat-api-diff.ts';
import { dereference, type JsonSchema } from './compat-json-schema.ts';
import {
  nextApiVersion,
  releaseChangelog,
  setApiVersionConstant,
  setReadmeApiVersion,
} from './compat-release.ts';
import { compareSchemas, type Direction } from './compat-schema-rules.ts';

const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
});
const string = { type: 'string' };
const breaks = (before: JsonSchema, after: JsonSchema, direction: Direction) =>
  compareSchemas(before, after, direction, 'p');

describe('schema rules: each with a tiny before/after pair', () => {
  it('a removed response field breaks; a new one does not', () => {
    expect(breaks(object({ a: string, b: string }), object({ a: string }), 'output')).toEqual([
      'p.b: response field removed',
    ]);
    expect(breaks(object({ a: string }), object({ a: string, b: string }), 'output')).toEqual([]);
  });

  it('a response field made optional breaks', () => {
    expect(breaks(object({ a: string }, ['a']), object({ a: string }), 'output')).toEqual([
      'p.a: response field no longer always present',
    ]);
  });

  it('a retyped response field breaks, including a new null and a Date become a string', () => {
    expect(breaks(object({ a: string }), object({ a: { type: 'number' } }), 'output')).toEqual([
      'p.a: response field retyped from string to number',
    ]);
    expect(breaks(string, { anyOf: [string, { type: 'null' }] }, 'output')).toEqual([
      'p: response field retyped from string to null | string',
    ]);
    const date = { type: 'string', format: 'date-time', 'x-superjson': 'Date' };
    expect(breaks(date, string, 'output')).toEqual([
      'p: response field retyped (format date-time → none)',
      'p: response field retyped (x-superjson Date → none)',
    ]);
  });

  it('an integer response may stay an integer where a number was promised, not the reverse', () => {
    expect(breaks({ type: 'number' }, { type: 'integer' }, 'output')).toEqual([]);
    expect(breaks({ type: 'integer' }, { type: 'number' }, 'output')).toHaveLength(1);
  });

  it('a newly required input field breaks; a new optional one does not', () => {
    expect(breaks(object({ a: string }), object({ a: string, b: string }, ['b']), 'input')).toEqual([
      'p.b: input field newly required',
    ]);
    expect(breaks(object({ a: string }), object({ a: string }, ['a']), 'input')).toEqual([
      'p.a: input field newly required',
    ]);
    expect(breaks(object({ a: string }), object({ a: string, b: string }), 'input')).toEqual([]);
  });

  it('a removed input field breaks', () => {
    expect(breaks(object({ a: string }), object({}), 'input')).toEqual(['p.a: input field removed']);
  });

  it('a narrowed input type breaks; a widened one does not', () => {
    const stringOrNumber = { type: ['string', 'number'] };
    expect(breaks(stringOrNumber, string, 'input')).toEqual([
      'p: input type narrowed from number | string to string',
    ]);
    expect(breaks(string, stringOrNumber, 'input')).toEqual([]);
    expect(breaks({ type: 'number' }, { type: 'integer' }, 'input')).toHaveLength(1);
  });

  it('an input enum losing a value breaks; gaining one does not; a response enum may grow', () => {
    const ab = { type: 'string', enum: ['a', 'b'] };
    const a = { type: 'string', enum: ['a'] };
    expect(breaks(ab, a, 'input')).toEqual(['p: input no longer accepts ["b"]']);
    expect(breaks(a, ab, 'input')).toEqual([]);
    expect(breaks(string, a, 'input')).toEqual(['p: input now restricted to ["a"]']);
    expect(breaks(a, ab, 'output')).toEqual([]);
  });

  it('tightened input bounds break; loosened ones do not', () => {
    expect(breaks({ type: 'integer', maximum: 100 }, { type: 'integer', maximum: 10 }, 'input')).toEqual([
      'p: input maximum tightened from 100 to 10',
    ]);
    expect(breaks({ type: 'string' }, { type: 'string', minLength: 1 }, 'input')).toEqual([
      'p: input minLength tightened from none to 1',
    ]);
    expect(breaks({ type: 'integer', maximum: 10 }, { type: 'integer', maximum: 100 }, 'input')).toEqual([]);
  });

  it('a new input pattern breaks', () => {
    expect(breaks(string, { type: 'string', pattern: '^[a-f0-9]+$' }, 'input')).toEqual([
      'p: input pattern none → ^[a-f0-9]+$',
    ]);
  });

  it('an input object that stops taking extra keys breaks', () => {
    expect(breaks(object({}), { ...object({}), additionalProperties: false }, 'input')).toEqual([
      'p: input no longer accepts extra keys',
    ]);
  });

  it('looks inside arrays, records and unions', () => {
    const list = (items: JsonSchema) => ({ type: 'array', items });
    expect(breaks(list(object({ a: string })), list(object({})), 'output')).toEqual([
      'p[].a: response field removed',
    ]);
    const record = (values: JsonSchema) => ({ type: 'object', additionalProperties: values });
    expect(breaks(record({ type: 'integer' }), record(string), 'output')).toEqual([
      'p.*: response field retyped from integer to string',
    ]);
    const union = { anyOf: [object({ a: string }), object({ b: string })] };
    expect(breaks(union, { anyOf: [object({ a: string })] }, 'input')).toEqual([
      `p: input no longer accepts the alternative ${JSON.stringify(object({ b: string }))}`,
    ]);
    expect(breaks({ anyOf: [object({ a: string })] }, union, 'input')).toEqual([]);
    expect(breaks({ anyOf: [object({ a: string })] }, union, 'output')).toHaveLength(1);
  });

  it('reads through local references, stopping at recursion', () => {
    const recursive = { $defs: { node: object({ child: { $ref: '#/$defs/node' } }) }, $ref: '#/$defs/node' };
    expect(dereference(recursive, recursive)).toEqual(object({ child: {} }));
  });

  it('finds nothing to report between a schema and itself', () => {
    const schema: fc.Arbitrary<JsonSchema> = fc.letrec<{ node: JsonSchema }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean') }),
        fc.record({ type: fc.constant('string'), enum: fc.uniqueArray(fc.string(), { minLength: 1 }) }),
        fc.record({ type: fc.constant('integer'), minimum: fc.integer(), maximum: fc.integer() }),
        fc.record({ type: fc.constant('array'), items: tie('node') }),
        fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
        fc
          .dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('node'), { maxKeys: 4 })
          .map((properties) => object(properties, Object.keys(properties).slice(1))),
      ),
    })).node;
    fc.assert(
      fc.property(schema, fc.constantFrom<Direction>('input', 'output'), (node, direction) => {
        expect(compareSchemas(node, structuredClone(node), direction, 'p')).toEqual([]);
      }),
    );
  });
});

describe('procedure, REST and error-code rules', () => {
  const procedure = { type: 'query', rest: 'GET /things', input: object({}), output: object({ id: string }) };

  it('a removed or re-typed procedure breaks; a new one is an addition', () => {
    expect(diffProcedures({ 'things.get': procedure }, {})).toEqual({
      breaks: ['procedure things.get removed'],
      additions: [],
    });
    expect(
      diffProcedures({ 'things.get': procedure }, { 'things.get': { ...procedure, type: 'mutation' } })
        .breaks,
    ).toEqual(['procedure things.get changed from query to mutation']);
    expect(diffProcedures({}, { 'things.get': procedure })).toEqual({
      breaks: [],
      additions: ['procedure things.get added'],
    });
  });

  it('a procedure moved off its REST route breaks', () => {
    expect(
      diffProcedures({ 'things.get': procedure }, { 'things.get': { ...procedure, rest: 'GET /items' } })
        .breaks,
    ).toEqual(['procedure things.get no longer served at REST GET /things']);
  });

  const document = (operation: JsonSchema, path = '/things'): JsonSchema => ({
    paths: { [path]: { get: operation } },
    components: { schemas: { Thing: object({ id: string }, ['id']) } },
  });
  const ok = (schema: JsonSchema) => ({ '200': { content: { 'application/json': { schema } } } });
  const operation = { parameters: [], responses: ok({ $ref: '#/components/schemas/Thing' }) };

  it('a removed REST path breaks; a new one is an addition', () => {
    expect(diffOpenApi(document(operation), document(operation, '/items'))).toEqual({
      breaks: ['REST GET /things removed'],
      additions: ['REST GET /items added'],
    });
  });

  it('a field removed from a referenced response schema breaks', () => {
    expect(
      diffOpenApi(document(operation), document({ ...operation, responses: ok(object({})) })).breaks,
    ).toEqual(['REST GET /things 200.id: response field removed']);
  });

  it('a success status that changes breaks', () => {
    const created = { ...operation, responses: { '201': operation.responses['200'] } };
    expect(diffOpenApi(document(operation), document(created)).breaks).toEqual([
      'REST GET /things: no longer answers 200',
    ]);
  });

  it('a newly required parameter, a removed one, and authentication on an open route break', () => {
    const withQuery = (required: boolean) => ({
      ...operation,
      parameters: [{ in: 'query', name: 'q', required, schema: string }],
    });
    expect(diffOpenApi(document(withQuery(false)), document(withQuery(true))).breaks).toEqual([
      'REST GET /things: parameter query q newly required',
    ]);
    expect(diffOpenApi(document(withQuery(false)), document(operation)).breaks).toEqual([
      'REST GET /things: parameter query q removed',
    ]);
    expect(
      diffOpenApi(document(operation), document({ ...operation, security: [{ bearerAuth: [] }] })).breaks,
    ).toEqual(['REST GET /things: now requires authentication']);
  });

  it('a request body that becomes required or narrower breaks', () => {
    const body = (required: boolean, schema: JsonSchema) => ({
      ...operation,
      requestBody: { required, content: { 'application/json': { schema } } },
    });
    expect(diffOpenApi(document(body(false, object({}))), document(body(true, object({})))).breaks).toEqual([
      'REST GET /things: request body newly required',
    ]);
    expect(
      diffOpenApi(document(body(true, object({}))), document(body(true, object({ a: string }, ['a']))))
        .breaks,
    ).toEqual(['REST GET /things body.a: input field newly required']);
  });

  it('a removed or re-mapped error code breaks; a new one is an addition', () => {
    expect(diffErrorCodes({ NOT_FOUND: 404, CONFLICT: 409 }, { NOT_FOUND: 410, TEAPOT: 418 })).toEqual({
      breaks: ['error code NOT_FOUND now answers HTTP 410 (was 404)', 'error code CONFLICT removed'],
      additions: ['error code TEAPOT added'],
    });
  });
});

describe('accepting a break', () => {
  const breaking = { breaks: ['procedure a.b removed'], additions: ['procedure a.c added'] };

  it('bumps the major for a break, the minor for additions, nothing otherwise', () => {
    expect(nextApiVersion('2.3.1', breaking)).toBe('3.0.0');
    expect(nextApiVersion('2.3.1', { breaks: [], additions: ['x'] })).toBe('2.4.0');
    expect(nextApiVersion('2.3.1', { breaks: [], additions: [] })).toBe('2.3.1');
  });

  it('rewrites the version constant and the README line', () => {
    expect(setApiVersionConstant("export const API_VERSION = '2.0.0';\n", '3.0.0')).toBe(
      "export const API_VERSION = '3.0.0';\n",
    );
    expect(setReadmeApiVersion('The API version is **2.0.0** (see …)', '3.0.0')).toBe(
      'The API version is **3.0.0** (see …)',
    );
    expect(() => setReadmeApiVersion('no version here', '3.0.0')).toThrow(/not found/);
  });

  it('moves the Unreleased notes under the new version with the accepted changes', () => {
    const changelog =
      '# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- a bug\n\n## [2.0.0] - 2026-01-01\n\n- first\n';
    expect(releaseChangelog(changelog, '3.0.0', '2026-02-02', breaking)).toBe(
      [
        '# Changelog',
        '',
        '## [Unreleased]',
        '',
        '## [3.0.0] - 2026-02-02',
        '',
        '### Changed',
        '',
        '- **Breaking:** procedure a.b removed',
        '',
        '### Added',
        '',
        '- procedure a.c added',
        '',
        '### Fixed',
        '',
        '- a bug',
        '',
        '## [2.0.0] - 2026-01-01',
        '',
        '- first',
        '',
      ].join('\n'),
    );
  });
});
