import { setTimeout as delay } from 'node:timers/promises';
import { defineScenario, describeAnswer, servedOrRefused } from '../scenario.ts';

/** Ordinary English prose of about `chars` characters. */
export function prose(chars: number, seed = ''): string {
  const sentence = `${seed}The river carried the boat past fields of barley, and the ferryman counted the bridges aloud. `;
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
}

/** Blanks and one word: with token sizing, the blank run is what the tokenizer has to rescan. */
const blanksThenWord = (blanks: number, word: string) => `${' '.repeat(blanks)}${word}`;

const TOKEN_OVERLAP = { chunkSize: 1000, chunkOverlap: 999, sizeUnit: 'tokens' } as const;

/** F3: a wide hashing embedder keeps a vector per sentence window. */
export const semanticWideEmbedder = defineScenario({
  name: 'semantic hashing 8192 dims',
  finding: 'F3',
  sizes: { short: { sentences: 15_000 }, full: { sentences: 50_000 } },
  run: async ({ api }, { sentences }) =>
    servedOrRefused(
      await api.post('/chunking/preview', {
        content: 'Go. '.repeat(sentences),
        strategy: 'semantic',
        config: { embedder: { provider: 'hashing', dimensions: 8192 } },
        maxChunks: 1,
      }),
    ),
});

/** F7: token sizing on a long run of blanks. */
export const whitespaceTokens = defineScenario({
  name: 'whitespace token sizing',
  finding: 'F7',
  sizes: { short: { blanks: 200_000 }, full: { blanks: 1_000_000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(
      await api.post('/chunking/preview', {
        content: blanksThenWord(blanks, 'x'),
        strategy: 'fixed',
        config: TOKEN_OVERLAP,
        maxChunks: 1,
      }),
    ),
});

/** F8: a small input asked for ~1,000× its size in overlapping chunks. */
export const outputAmplification = defineScenario({
  name: 'output amplification',
  finding: 'F8',
  sizes: { short: { chars: 10_000 }, full: { chars: 10_000 } },
  run: async ({ api }, { chars }) => {
    const answer = await api.post('/chunking/preview', {
      content: prose(chars),
      strategy: 'fixed',
      config: { chunkSize: 1000, chunkOverlap: 999 },
      maxChunks: 10_000,
    });
    return servedOrRefused(
      answer,
      `response ${(answer.bytes / 1e6).toFixed(2)} MB for ${chars / 1000} KB in`,
    );
  },
});

/** F14: hierarchical children rescan the text for every parent. */
export const hierarchicalRescan = defineScenario({
  name: 'hierarchical rescans',
  finding: 'F14',
  sizes: { short: { chars: 300_000 }, full: { chars: 1_000_000 } },
  run: async ({ api }, { chars }) =>
    servedOrRefused(
      await api.post('/chunking/preview', {
        content: 'word '.repeat(chars / 5),
        strategy: 'hierarchical',
        config: { levels: [1000, 996], chunkOverlap: 995 },
        maxChunks: 1,
      }),
    ),
});

/**
 * F7: a client that gives up on an expensive preview must not keep a chunking thread busy: a
 * victim's ordinary preview (large enough to go to the pool) sent right after is answered.
 */
export const disconnectMidPreview = defineScenario({
  name: 'disconnect mid-preview',
  finding: 'F7',
  sizes: {
    short: { blanks: 200_000, abortAfterMs: 500, victimChars: 20_000 },
    full: { blanks: 1_000_000, abortAfterMs: 3_000, victimChars: 20_000 },
  },
  run: async ({ api, tenant }, { blanks, abortAfterMs, victimChars }) => {
    const leaving = new AbortController();
    const attack = api.post(
      '/chunking/preview',
      { content: blanksThenWord(blanks, 'y'), strategy: 'fixed', config: TOKEN_OVERLAP, maxChunks: 1 },
      { signal: leaving.signal },
    );
    await delay(abortAfterMs);
    leaving.abort();
    const attacker = await attack;
    await delay(200);
    const victim = await tenant('victim').api.post('/chunking/preview', {
      content: prose(victimChars, 'Victim. '),
      strategy: 'recursive',
      maxChunks: 1,
    });
    return {
      ...servedOrRefused(victim, `attacker: ${describeAnswer(attacker)}`),
      passed: victim.status === 200,
      expected: 'victim preview 200',
    };
  },
});
