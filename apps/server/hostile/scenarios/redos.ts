import { defineScenario, servedOrRefused } from '../scenario.ts';

/** A keyword the language detectors know, then a run of blanks that none of their patterns can end. */
const blankLine = (keyword: string, blanks: number) => `${keyword}${' '.repeat(blanks)}\n`;

/** F1: content analysis (`chunking.recommend`), `const` and `impl` lines. */
export const recommendConst = defineScenario({
  name: 'ReDoS recommend const',
  finding: 'F1',
  sizes: { short: { blanks: 2000 }, full: { blanks: 6000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(await api.post('/chunking/recommend', { content: blankLine('const', blanks) })),
});

export const recommendImpl = defineScenario({
  name: 'ReDoS recommend impl',
  finding: 'F1',
  sizes: { short: { blanks: 1500 }, full: { blanks: 3000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(await api.post('/chunking/recommend', { content: blankLine('impl', blanks) })),
});

/** F1: the markdown strategy's ATX heading scan. */
export const markdownPreview = defineScenario({
  name: 'ReDoS markdown preview',
  finding: 'F1',
  sizes: { short: { blanks: 1500 }, full: { blanks: 3000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(
      await api.post('/chunking/preview', { content: `#${' '.repeat(blanks)}\rX\n`, strategy: 'markdown' }),
    ),
});

/** F1: the code strategy detects the language when none is given. */
export const codePreview = defineScenario({
  name: 'ReDoS code preview',
  finding: 'F1',
  sizes: { short: { blanks: 1500 }, full: { blanks: 3000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(
      await api.post('/chunking/preview', { content: blankLine('const', blanks), strategy: 'code' }),
    ),
});

/** F1: compare analyses the content to recommend, whatever strategies it is asked about. */
export const compare = defineScenario({
  name: 'ReDoS compare',
  finding: 'F1',
  sizes: { short: { blanks: 1500 }, full: { blanks: 3000 } },
  run: async ({ api }, { blanks }) =>
    servedOrRefused(
      await api.post('/chunking/compare', {
        content: blankLine('const', blanks),
        strategies: [{ strategy: 'fixed' }, { strategy: 'recursive' }],
      }),
    ),
});
