import { gunzipSync } from 'node:zlib';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PreparedAnswer } from '../src/answers/prepared-answer.ts';

// A prepared answer must be byte for byte what tRPC (superjson in its envelope) and the REST adapter
// (JSON.stringify) write for the same value, whichever way it was prepared: REST's bytes cut from
// inside tRPC's when JSON writes superjson's `json` alike, stringified on their own when it does not.
const schema = z.object({
  id: z.string(),
  items: z.array(z.object({ text: z.string(), size: z.number() })),
  extra: z.record(z.string(), z.unknown()),
  cached: z.boolean(),
  expiresAt: z.date(),
  correlationId: z.string(),
});
type Answer = z.input<typeof schema>;

const items = Array.from({ length: 40 }, (_, index) => ({
  text: `Ünïcødé “quotes”, \\ backslashes and \u0000 nulls, line ${index}\n`,
  size: index,
}));
const shared = { nested: ['same', 'object'] };

const answers: Record<string, Answer> = {
  'plain values and a Date': {
    id: 'a',
    items,
    extra: { note: 'plain' },
    cached: false,
    expiresAt: new Date(0),
    correlationId: '',
  },
  'a shared reference': {
    id: 'b',
    items,
    extra: { first: shared, second: shared },
    cached: false,
    expiresAt: new Date(1),
    correlationId: '',
  },
  'values JSON writes unlike superjson': {
    id: 'c',
    items,
    extra: { missing: undefined, notANumber: Number.NaN, negativeZero: -0, list: [undefined, 1] },
    cached: false,
    expiresAt: new Date(2),
    correlationId: '',
  },
};

describe('PreparedAnswer', () => {
  for (const [name, answer] of Object.entries(answers)) {
    it(`writes tRPC's and REST's bytes for ${name}, holes filled per request`, () => {
      const prepared = PreparedAnswer.of(schema, answer, ['cached', 'correlationId']);
      for (const values of [
        { cached: true, correlationId: 'req-1' },
        { cached: false, correlationId: 'a “longer” id\n' },
      ]) {
        const filled = { ...schema.parse(answer), ...values };
        const trpc = JSON.stringify({ result: { data: superjson.serialize(filled) } });
        const rest = JSON.stringify(filled);
        expect(prepared.trpc(values, 'identity').toString()).toBe(trpc);
        expect(prepared.rest(values, 'identity').toString()).toBe(rest);
        expect(gunzipSync(prepared.trpc(values, 'gzip')).toString()).toBe(trpc);
        expect(gunzipSync(prepared.rest(values, 'gzip')).toString()).toBe(rest);
      }
    });
  }

  it('judges compression by the REST form, as before', () => {
    const small = PreparedAnswer.of(z.object({ id: z.string() }), { id: 'x' }, []);
    expect(small.compressible).toBe(false);
    const large = PreparedAnswer.of(schema, answers['plain values and a Date'] as Answer, ['cached']);
    expect(large.compressible).toBe(true);
  });
});
