import { describe, expect, it } from 'vitest';
import { textExceedsDepth } from '../src/http/json-depth.ts';

// The text check refuses over-deep tRPC input before superjson's recursion sees it: only brackets
// outside strings count, and a string ends at its first unescaped quote.
describe('textExceedsDepth', () => {
  it.each([
    ['[[[]]]', 3, false],
    ['[[[[]]]]', 3, true],
    ['{"a":{"b":{"c":[1]}}}', 3, true],
    ['{"a":"[[[[[[","b":1}', 1, false],
    ['{"a":"say \\"[[[[\\" twice"}', 1, false],
    ['{"a":"ends in a backslash \\\\"}', 1, false],
    ['{"a":"\\\\\\"[[[["}', 1, false],
    ['["\\\\",[[[]]]]', 3, true],
    ['"an unterminated string [[[[', 1, false],
    ['', 0, false],
  ])('%s at most %i deep → %s', (text, maxDepth, exceeds) => {
    expect(textExceedsDepth(text, maxDepth)).toBe(exceeds);
  });

  it('counts no bracket of a long string with quotes and backslashes in it', () => {
    const content = `${'plain text with "quoted" words and \\ backslashes '.repeat(2000)}[`;
    const input = JSON.stringify({ json: { content, config: { nested: [[1]] } } });
    expect(textExceedsDepth(input, 5)).toBe(false);
    expect(textExceedsDepth(input, 4)).toBe(true);
  });
});
