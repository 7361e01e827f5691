import { convertDocument, DEFAULT_CONVERSION_LIMITS } from '@chunkflow/converters';
import { articleHtml, buildDocx, buildPdf } from '@chunkflow/converters/fixtures';
import { ApplicationError } from '@chunkflow/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThreadConverter } from '../src/conversion/conversion-threads.ts';
import { MIN_CONVERSION_MEMORY_MB } from '../src/settings/settings-table.ts';

const encoder = new TextEncoder();
const threadOptions = { threads: 1, memoryMb: 256, idleMs: 200, limits: DEFAULT_CONVERSION_LIMITS };

/** Conversion moves the bytes to its thread: each call gets a copy of its own. */
const copyOf = (bytes: Uint8Array) => new Uint8Array(bytes);

describe('ThreadConverter', () => {
  let converter: ThreadConverter | undefined;
  afterEach(() => converter?.close());

  it('converts PDF, DOCX and HTML on its thread exactly as inline conversion does', async () => {
    converter = new ThreadConverter(threadOptions);
    const files = [
      { bytes: await buildPdf([{ lines: ['First page words.'] }, { lines: ['Second page words.'] }]) },
      { bytes: await buildDocx() },
      { bytes: encoder.encode(articleHtml), contentType: 'text/html' },
    ];
    for (const file of files) {
      const expected = await convertDocument({ ...file, bytes: copyOf(file.bytes) });
      expect(await converter.convert({ ...file, bytes: copyOf(file.bytes) })).toEqual(expected);
    }
  });

  it('lets its thread go once idle, so the memory a conversion took is returned', async () => {
    converter = new ThreadConverter(threadOptions);
    await converter.convert({ bytes: encoder.encode(articleHtml), contentType: 'text/html' });
    expect(converter.stats.completed).toBe(1);
    await vi.waitFor(() => expect(converter?.stats.threads).toBe(0), { timeout: 10_000, interval: 50 });
    // A later upload starts a new thread.
    const again = await converter.convert({ bytes: encoder.encode(articleHtml), contentType: 'text/html' });
    expect(again.provenance.headings.map((heading) => heading.text)).toContain('Reading the columns');
  });

  it('refuses a file whose conversion outgrows the thread’s heap as INVALID_DOCUMENT, and goes on', {
    timeout: 120_000,
  }, async () => {
    converter = new ThreadConverter({ ...threadOptions, memoryMb: MIN_CONVERSION_MEMORY_MB });
    // ~20 MB of small elements: a DOM of 1.2 M elements outgrows the smallest heap allowed.
    const page = `<html><body><main>${'<p><b>w</b> x</p>'.repeat(1_200_000)}</main></body></html>`;
    const refusal = await converter
      .convert({ bytes: encoder.encode(page), contentType: 'text/html' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApplicationError);
    expect(refusal).toMatchObject({ code: 'INVALID_DOCUMENT', message: expect.stringMatching(/memory/) });
    converter.close();
    converter = new ThreadConverter(threadOptions);
    const next = await converter.convert({ bytes: encoder.encode(articleHtml), contentType: 'text/html' });
    expect(next.format).toBe('html');
  });

  it('terminates a conversion whose signal is aborted, answering the signal’s reason', async () => {
    converter = new ThreadConverter(threadOptions);
    const reason = new Error('budget spent');
    const controller = new AbortController();
    const page = `<html><body>${'<p>word word word</p>'.repeat(200_000)}</body></html>`;
    const converting = converter.convert(
      { bytes: encoder.encode(page), contentType: 'text/html' },
      {
        signal: controller.signal,
      },
    );
    controller.abort(reason);
    await expect(converting).rejects.toBe(reason);
  });

  it('keeps typed refusals typed across the thread', async () => {
    converter = new ThreadConverter(threadOptions);
    await expect(
      converter.convert({ bytes: encoder.encode('%PDF-1.7 not really'), contentType: 'application/pdf' }),
    ).rejects.toMatchObject({ code: 'INVALID_DOCUMENT' });
  });
});
