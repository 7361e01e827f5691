import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('token counting over many documents', () => {
  it('keeps a bounded share of the documents it has seen alive', async () => {
    // 1,500 documents of 50 KB, each with a few words no other has: the tokenizer's merge cache
    // keys on slices of them, and without its periodic clearing ~80 MB (every one) stayed alive.
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'support/tokenizer-retention.ts')],
      { cwd: join(import.meta.dirname, '..') },
    );
    const { retainedBytes, textBytes } = JSON.parse(stdout) as { retainedBytes: number; textBytes: number };
    expect(retainedBytes).toBeLessThan(textBytes / 3);
  }, 60_000);
});
