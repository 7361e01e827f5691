import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { initCodeParsers } from '../src/strategies/code-parsers.ts';
import { codeSamples } from './fixtures/code-samples.ts';
import { checkStrategyInvariants, documentArbitrary } from './support/invariants.ts';

const sources = Object.values(codeSamples);
/** Real source cut at random lines and spliced with adversarial text. */
const codeDocuments = fc.oneof(
  documentArbitrary,
  fc
    .array(fc.tuple(fc.constantFrom(...sources), fc.nat(), fc.nat(), documentArbitrary), {
      minLength: 1,
      maxLength: 4,
    })
    .map((parts) =>
      parts
        .map(([source, a, b, noise]) => {
          const lines = source.split('\n');
          return [...lines.slice(a % lines.length, (a % lines.length) + (b % 12)), noise].join('\n');
        })
        .join('\n'),
    ),
);

describe('code strategy invariants', () => {
  it('hold with separator fallback on random and adversarial text', () => {
    checkStrategyInvariants('code', { documents: codeDocuments, numRuns: 150 });
  });

  describe('with parsers loaded', () => {
    beforeAll(() => initCodeParsers());

    it.each(['typescript', 'python', 'go', 'rust', 'java'])('hold for language %s', (language) => {
      checkStrategyInvariants('code', {
        documents: codeDocuments,
        extra: fc.constant({ language }),
        numRuns: 150,
      });
    });

    it('hold with the language detected', () => {
      checkStrategyInvariants('code', { documents: codeDocuments, numRuns: 150 });
    });
  });
});
