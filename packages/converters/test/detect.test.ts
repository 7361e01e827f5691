import { describe, expect, it } from 'vitest';
import { convertDocument, detectType } from '../src/index.ts';
import { buildDocx, buildPdf } from './fixtures.ts';

const text = (value: string) => Buffer.from(value);

describe('type detection', () => {
  it('detects octet-stream and undeclared uploads from the bytes, then the name', async () => {
    const pdf = await buildPdf([{ lines: ['x'] }]);
    expect(detectType({ bytes: pdf, contentType: 'application/octet-stream' }).format).toBe('pdf');
    expect(detectType({ bytes: await buildDocx() }).format).toBe('docx');
    expect(detectType({ bytes: text('<!DOCTYPE html><p>x') }).format).toBe('html');
    expect(detectType({ bytes: text('# Title'), name: 'notes.md' })).toEqual({
      format: 'markdown',
      contentType: 'text/markdown',
    });
    expect(detectType({ bytes: text('plain words') })).toEqual({ format: 'text', contentType: 'text/plain' });
  });

  it('takes a PDF header at a line start after other lines, and text that mentions one for text', () => {
    expect(detectType({ bytes: text('junk line\r\n%PDF-1.7\n') }).format).toBe('pdf');
    for (const mention of ["const magic = '%PDF-';\n", 'A PDF starts with %PDF-1.4 on its first line.\n']) {
      expect(detectType({ bytes: text(mention), name: 'notes.md' }).format).toBe('markdown');
    }
  });

  it('keeps the declared type of text and source code', () => {
    expect(detectType({ bytes: text('def f(): pass'), contentType: 'text/x-python' })).toEqual({
      format: 'text',
      contentType: 'text/x-python',
    });
    expect(detectType({ bytes: text('{"a":1}'), contentType: 'application/json' }).format).toBe('text');
    expect(detectType({ bytes: text('# T'), contentType: 'text/markdown' }).format).toBe('markdown');
  });

  it.each([
    ['image/png', text('x')],
    ['application/zip', text('x')],
    ['application/msword', text('x')],
    ['application/octet-stream', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])],
    [undefined, Buffer.from([1, 0, 2, 0])],
  ])('refuses %s as UNSUPPORTED_DOCUMENT', (contentType, bytes) => {
    expect(() => detectType({ bytes, contentType })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_DOCUMENT' }),
    );
  });

  it('refuses declarations the bytes or the name contradict as INVALID_DOCUMENT (type_mismatch)', async () => {
    const pdf = await buildPdf([{ lines: ['x'] }]);
    const lies = [
      { bytes: text('not a pdf'), contentType: 'application/pdf' },
      { bytes: pdf, contentType: 'text/plain' },
      { bytes: pdf, contentType: 'text/html' },
      {
        bytes: text('words'),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      { bytes: text('words'), contentType: 'text/plain', name: 'scan.pdf' },
      { bytes: pdf, name: 'letter.docx' },
    ];
    for (const lie of lies) {
      expect(() => detectType(lie)).toThrow(
        expect.objectContaining({ code: 'INVALID_DOCUMENT', details: { reason: 'type_mismatch' } }),
      );
    }
  });

  it('refuses a zip that is not a Word document and text that is not UTF-8', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    await expect(
      convertDocument({ bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), zip]) }),
    ).rejects.toMatchObject({
      code: 'INVALID_DOCUMENT',
    });
    await expect(
      convertDocument({ bytes: Buffer.from([0x61, 0xff, 0xfe, 0x62]), contentType: 'text/plain' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('passes markdown through with its headings, and plain text with none', async () => {
    const markdown = '# A\n\ntext\n\n```\n# not a heading\n```\n\n## B\n';
    const document = await convertDocument({ bytes: text(markdown), contentType: 'text/markdown' });
    expect(document.text).toBe(markdown);
    expect(document.provenance.headings).toEqual([
      { level: 1, text: 'A', offset: 0 },
      { level: 2, text: 'B', offset: markdown.indexOf('## B') },
    ]);
    const plain = await convertDocument({ bytes: text(markdown), contentType: 'text/plain' });
    expect(plain.provenance.headings).toEqual([]);
  });
});
