import { articleHtml, buildDocx, buildPdf, encryptedPdf, zipBomb } from '@chunkflow/converters/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Each page's sentence is unique, so every chunk's pages can be told from its own text. */
const pdfPages = Array.from({ length: 6 }, (_, index) => ({
  ...(index % 3 === 0 ? { heading: `Part ${index / 3 + 1}` } : {}),
  lines: Array.from({ length: 8 }, (_, line) => {
    const page = `Page${index + 1}`;
    return `${page} tide ${line + 1} ${page} harbour ${page} quay ${page} light.`;
  }),
}));

/** The pages a chunk's own words name: `PageN`, and `# Part N` heads page 3N - 2. */
function pagesNamedIn(content: string): [number, number] {
  const pages = [
    ...[...content.matchAll(/Page(\d)/g)].map((match) => Number(match[1])),
    ...[...content.matchAll(/# Part (\d)/g)].map((match) => 3 * Number(match[1]) - 2),
  ];
  expect(pages.length).toBeGreaterThan(0);
  return [Math.min(...pages), Math.max(...pages)];
}

/** Oracle: the heading lines of `text` before `offset`, nested by their number of `#`. */
function headingPathBefore(text: string, offset: number): string[] {
  const path: { level: number; text: string }[] = [];
  for (const match of text.matchAll(/^(#{1,6}) (.+)$/gm)) {
    if ((match.index ?? 0) > offset) break;
    const level = match[1]?.length ?? 0;
    while ((path.at(-1)?.level ?? 0) >= level) path.pop();
    path.push({ level, text: match[2] ?? '' });
  }
  return path.map((heading) => heading.text);
}

interface Refusal {
  error: { code: string; correlationId: string; details?: { reason?: string } };
}

describe('file uploads: PDF, DOCX and HTML with pages and headings (embedded)', () => {
  let server: TestServer;
  let collectionId: string;

  const upload = (name: string, body: Uint8Array | string, contentType?: string) =>
    fetch(
      `${server.url}/api/v2/collections/${collectionId}/documents/upload?name=${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.apiKey}`,
          'x-correlation-id': `upload-${name}`,
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        body: body as BodyInit,
      },
    );

  async function storedChunks(documentId: string) {
    const page = await server.client.chunks.list.query({ collectionId, documentId, limit: 100 });
    return page.items;
  }

  async function applyRecursive(): Promise<void> {
    const { operationId } = await server.client.chunking.applyToCollection.mutate({
      collectionId,
      strategy: 'recursive',
      config: { chunkSize: 120, chunkOverlap: 20 },
    });
    for (;;) {
      const operation = await server.client.operations.get.query({ id: operationId });
      if (operation.status === 'completed') return;
      expect(['pending', 'processing']).toContain(operation.status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    server = await startTestServer('embedded');
    collectionId = (await server.client.collections.create.mutate({ name: 'files' })).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores a PDF, a DOCX and an HTML page, and every stored chunk cites its exact pages and headings', async () => {
    const pdfBytes = await buildPdf(pdfPages, { header: 'Harbour Almanac', pageNumbers: true });
    const pdf = await upload('almanac.pdf', pdfBytes, 'application/pdf');
    expect(pdf.status).toBe(201);
    const pdfDocument = (await pdf.json()) as {
      id: string;
      contentType: string;
      pageCount: number;
      sourceBytes: number;
    };
    expect(pdfDocument).toMatchObject({
      contentType: 'application/pdf',
      pageCount: 6,
      sourceBytes: pdfBytes.length,
    });

    const docx = await upload('report.docx', await buildDocx(), 'application/octet-stream');
    expect(docx.status).toBe(201);
    const docxDocument = (await docx.json()) as { id: string; contentType: string; pageCount: number | null };
    expect(docxDocument).toMatchObject({ contentType: DOCX, pageCount: null });

    const html = await upload('tides.html', articleHtml, 'text/html; charset=utf-8');
    expect(html.status).toBe(201);
    const htmlDocument = (await html.json()) as { id: string };

    await applyRecursive();

    const pdfChunks = await storedChunks(pdfDocument.id);
    expect(pdfChunks.length).toBeGreaterThan(6);
    for (const chunk of pdfChunks) {
      const [first, last] = chunk.metadata.pages as [number, number];
      expect([first, last]).toEqual(pagesNamedIn(chunk.content));
      expect(chunk.content).not.toContain('Harbour Almanac');
      const part = first <= 3 ? 'Part 1' : 'Part 2';
      if (first === last) expect(chunk.metadata.headings).toEqual([part]);
    }

    for (const { id } of [docxDocument, htmlDocument]) {
      const { content } = await server.client.documents.get.query({ id });
      const chunks = await storedChunks(id);
      expect(chunks.length).toBeGreaterThan(2);
      for (const chunk of chunks) {
        expect(chunk.metadata.headings).toEqual(headingPathBefore(content, chunk.startOffset));
        expect(chunk.metadata.pages).toBeUndefined();
      }
    }
    const paths = async (id: string) => (await storedChunks(id)).map((chunk) => chunk.metadata.headings);
    expect(await paths(docxDocument.id)).toContainEqual(['Annual Report', 'Outlook']);
    expect(await paths(htmlDocument.id)).toContainEqual(['Tide Tables Explained', 'Spring and neap tides']);
  });

  it('previews a stored PDF by documentId with pages, and the same text inline without them', async () => {
    const bytes = await buildPdf(
      pdfPages.slice(0, 2).map((page) => ({ ...page, lines: page.lines.map((line) => `${line} again`) })),
    );
    const stored = (await (await upload('again.pdf', bytes)).json()) as { id: string; contentType: string };
    expect(stored.contentType).toBe('application/pdf');
    const preview = await server.client.chunking.preview.mutate({
      documentId: stored.id,
      strategy: 'recursive',
      config: { chunkSize: 300, chunkOverlap: 0 },
    });
    expect(preview.chunks.map((chunk) => chunk.metadata.pages)).toEqual(
      preview.chunks.map((chunk) => pagesNamedIn(chunk.content)),
    );
    const document = await server.client.documents.get.query({ id: stored.id });
    const inline = await server.client.chunking.preview.mutate({
      content: document.content,
      strategy: 'recursive',
      config: { chunkSize: 300, chunkOverlap: 0 },
    });
    expect(inline.chunks.every((chunk) => chunk.metadata.pages === undefined)).toBe(true);
  });

  it('refuses unsupported, lying, encrypted, bomb and truncated files with typed 4xx answers, storing nothing', async () => {
    const before = (await server.client.documents.list.query({ collectionId, limit: 100 })).items.length;
    const pdfBytes = await buildPdf(pdfPages.slice(0, 3));
    const docxBytes = await buildDocx();
    const bomb = zipBomb(docxBytes);
    const cases: [string, Uint8Array | string, string | undefined, number, string, string?][] = [
      [
        'photo.png',
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
        'image/png',
        415,
        'UNSUPPORTED_DOCUMENT',
      ],
      ['blob.bin', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), undefined, 415, 'UNSUPPORTED_DOCUMENT'],
      ['lie.pdf', 'plain words', 'application/pdf', 422, 'INVALID_DOCUMENT', 'type_mismatch'],
      ['lie.txt', pdfBytes, 'text/plain', 422, 'INVALID_DOCUMENT', 'type_mismatch'],
      ['locked.pdf', encryptedPdf(pdfBytes), 'application/pdf', 422, 'INVALID_DOCUMENT', 'encrypted'],
      ['bomb.docx', bomb, DOCX, 422, 'INVALID_DOCUMENT', 'bomb'],
      ['cut.docx', docxBytes.subarray(0, docxBytes.length / 2), DOCX, 422, 'INVALID_DOCUMENT', 'corrupt'],
      [
        'deep.html',
        `<html><body>${'<div>'.repeat(5_000)}x</body></html>`,
        'text/html',
        422,
        'INVALID_DOCUMENT',
        'budget',
      ],
    ];
    for (const [name, body, contentType, status, code, reason] of cases) {
      const response = await upload(name, body, contentType);
      const answer = (await response.json()) as Refusal;
      expect({ name, status: response.status, code: answer.error.code }).toEqual({ name, status, code });
      expect(answer.error.correlationId).toBe(`upload-${name}`);
      if (reason) expect(answer.error.details?.reason).toBe(reason);
    }
    expect((await server.client.documents.list.query({ collectionId, limit: 100 })).items.length).toBe(
      before,
    );
  });

  it('answers every truncation and byte flip of a PDF and a DOCX with 201 or a 4xx, never a 5xx, and keeps serving', async () => {
    const files: [Uint8Array, string][] = [
      [
        await buildPdf(
          pdfPages.slice(0, 2).map((page) => ({ lines: page.lines.map((line) => `${line} fuzz`) })),
        ),
        'application/pdf',
      ],
      [await buildDocx(), DOCX],
    ];
    for (const [bytes, contentType] of files) {
      for (let step = 1; step <= 12; step++) {
        const cut = bytes.subarray(0, Math.floor((bytes.length * step) / 13));
        const flipped = new Uint8Array(bytes);
        const at = Math.floor((bytes.length * step) / 13);
        flipped[at] = (flipped[at] ?? 0) ^ 0x5a;
        for (const [index, variant] of [cut, flipped].entries()) {
          const response = await upload(`fuzz-${step}-${index}-${contentType.length}`, variant, contentType);
          expect(response.status, `${contentType} variant ${step}/${index}`).toBeLessThan(500);
          await response.arrayBuffer();
        }
      }
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
