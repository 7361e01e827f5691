/// <reference lib="dom" />
// page.evaluate callbacks run in the browser: the DOM types check them.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strategyChoice } from '@chunkflow/client';
import { buildPdf } from '@chunkflow/converters/fixtures';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playgroundDist } from '../src/http/web-routes.ts';
import { type GatedEmbedder, startGatedEmbedder } from './support/gated-embedder.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Debian's Chromium (`apt-get install chromium`; `npm test` installs it when missing). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Offline machine: no background connections, no first-run work, nothing synced. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = fileURLToPath(new URL('../../web/test-artifacts/', import.meta.url));

const DOCUMENT = `# Handbook

Welcome to the team. This handbook explains how we work, and why. Read it once now and again whenever something feels unclear.

## Getting started

Your first week is for setting up and meeting people. Ask questions early: nobody expects you to know the codebase yet. Pair with someone on a small change before you take a task of your own.

### Accounts

You get a laptop, an email account and access to the repository on day one. Two-factor authentication is required everywhere.

## How we ship

Every change goes through review. Small pull requests are reviewed faster and break less. Tests run on every push, and a change that turns them red is reverted first and discussed second.

### Releases

We release on Tuesdays and Thursdays. A release can be rolled back with one command; if in doubt, roll back.

## Getting help

Post in the team channel before you spend an hour stuck. Someone has seen your problem before.
`;

interface RenderedChunk {
  index: number;
  startOffset: number;
  endOffset: number;
}

/**
 * Reads the highlights back from the DOM: walks the document view's text nodes in order, giving
 * each chunk the range from the first to the last character of the spans that name it.
 */
function renderedChunks(page: Page): Promise<{ text: string; chunks: RenderedChunk[] }> {
  return page.evaluate(() => {
    const view = document.querySelector('.document-view') as HTMLElement;
    const ranges = new Map<number, { startOffset: number; endOffset: number }>();
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.textContent?.length ?? 0;
      const names = node.parentElement?.closest<HTMLElement>('span.chunk')?.dataset.chunks ?? '';
      for (const name of names.split(' ').filter(Boolean)) {
        const index = Number(name);
        const range = ranges.get(index);
        if (range && range.endOffset !== offset) throw new Error(`chunk ${index} is not contiguous`);
        ranges.set(index, { startOffset: range?.startOffset ?? offset, endOffset: offset + length });
      }
      offset += length;
    }
    const chunks = [...ranges].map(([index, range]) => ({ index, ...range }));
    return { text: view.textContent ?? '', chunks: chunks.sort((a, b) => a.index - b.index) };
  });
}

/** Characters that two or more chunks include, counted once each. */
function sharedCharacters(textLength: number, chunks: readonly RenderedChunk[]): number {
  const cover = new Uint16Array(textLength);
  for (const chunk of chunks) {
    for (let i = chunk.startOffset; i < chunk.endOffset; i++) cover[i] = (cover[i] ?? 0) + 1;
  }
  return cover.filter((count) => count > 1).length;
}

const offsetsOf = (chunks: readonly RenderedChunk[]) =>
  chunks.map(({ index, startOffset, endOffset }) => ({ index, startOffset, endOffset }));

/** Documents of the slow collection; every sentence names its part, which the embedder gates on. */
const SLOW_PARTS = [1, 2, 3, 4];
const PART_TAG = /part-\d+/;
const TOPICS = ['rivers', 'mountains', 'cities', 'forests', 'deserts', 'oceans'];

function partDocument(part: number): string {
  return Array.from(
    { length: 12 },
    (_, i) => `Sentence ${i} of part-${part} is about ${TOPICS[(i * part) % TOPICS.length]} and little else.`,
  ).join(' ');
}

describe('playground page in headless Chromium', () => {
  let server: TestServer;
  let embedder: GatedEmbedder;
  let browser: Browser;
  let page: Page;
  /** What the browser refused under the server's Content-Security-Policy, over every test. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(playgroundDist, 'index.html'))) {
      throw new Error('apps/web is not built: run `pnpm --filter @chunkflow/web build` (npm test does)');
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (npm test does)`);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    embedder = await startGatedEmbedder(PART_TAG);
    // The operator allows the embedder: what lets a semantic config name it.
    server = await startTestServer('embedded', {
      // One operation thread chunks the documents in plan order, so the gated embedder's first
      // document is the operation's first and the page shows it done while the next one is held.
      environment: { EMBEDDER_ALLOWED_URLS: embedder.baseUrl, OPERATION_THREADS: '1' },
    });
    // Playwright gives every launch a fresh, empty profile directory.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await embedder?.close();
  });

  it('keeps the API key it is given and previews pasted text as the API chunks it', async () => {
    await page.goto(server.url);
    await page.getByText('Enter your API key above').waitFor();
    await page.getByLabel('API key', { exact: true }).fill(server.apiKey);
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByText('Key saved in this browser').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('chunkflow.apiKey'))).toBe(server.apiKey);

    const expected = await server.client.chunking.preview.mutate({
      content: DOCUMENT,
      strategy: 'markdown',
      config: { chunkSize: 220 },
    });
    expect(expected.totalChunks).toBeGreaterThan(4);

    await page.getByLabel('Text (paste, type, or drop a file)', { exact: true }).fill(DOCUMENT);
    await page.getByLabel('Strategy', { exact: true }).selectOption('markdown');
    await page.getByLabel('chunkSize', { exact: true }).fill('220');
    await expect
      .poll(async () => offsetsOf((await renderedChunks(page)).chunks))
      .toEqual(offsetsOf(expected.chunks));
    expect((await renderedChunks(page)).text).toBe(DOCUMENT);
    // The same tenant asked for this preview a moment ago: the page's answer came from the cache.
    expect(await page.getByTestId('cached').textContent()).toBe('cached');
  });

  it('describes a chunk on hover and on keyboard focus, heading path included', async () => {
    const expected = await server.client.chunking.preview.mutate({
      content: DOCUMENT,
      strategy: 'markdown',
      config: { chunkSize: 220 },
    });
    const chunk = expected.chunks[2];
    if (!chunk) throw new Error('expected a third chunk');
    await page.locator(`.document-view [data-start="${chunk.index}"]`).hover();
    const card = page.locator('.chunk-card');
    await expect.poll(() => card.textContent()).toContain(`Chunk #${chunk.index}`);
    const text = await card.textContent();
    expect(text).toContain(`Offsets${chunk.startOffset}–${chunk.endOffset}`);
    expect(text).toContain(`${chunk.charCount} chars · ${chunk.tokenCount} tokens`);
    expect(text).toContain((chunk.metadata.headings as string[]).join(' › '));
    // The context its embedText adds: the heading path (an inline text has no title).
    expect(chunk.embedText.endsWith(chunk.content)).toBe(true);
    expect(text).toContain(`Embed header${(chunk.metadata.headings as string[]).join(' > ')}`);
    expect(text).toContain(`${chunk.embedText.length} chars · ${chunk.embedTokenCount} tokens`);

    await page.locator('.document-view [data-start="0"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => card.textContent()).toContain('Chunk #1');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-start'))).toBe('1');
  });

  it('marks overlaps, follows parameter changes and shows cached previews', async () => {
    const expected = await server.client.chunking.preview.mutate({
      content: DOCUMENT,
      strategy: 'fixed',
      config: { chunkSize: 150, chunkOverlap: 40 },
    });
    await page.getByLabel('Strategy', { exact: true }).selectOption('fixed');
    await page.getByLabel('chunkSize', { exact: true }).fill('150');
    await page.getByLabel('chunkOverlap', { exact: true }).fill('40');
    await expect
      .poll(async () => offsetsOf((await renderedChunks(page)).chunks))
      .toEqual(offsetsOf(expected.chunks));
    const overlapped = await page
      .locator('.document-view .chunk.overlap')
      .evaluateAll((spans) => spans.reduce((sum, span) => sum + (span.textContent?.length ?? 0), 0));
    expect(overlapped).toBe(sharedCharacters(DOCUMENT.length, expected.chunks));
    expect(overlapped).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true });

    // Back to a config the server has already chunked: the page says it came from the cache.
    await page.getByLabel('chunkOverlap', { exact: true }).fill('41');
    await expect.poll(() => page.getByTestId('cached').textContent()).toBe('computed');
    await page.getByLabel('chunkOverlap', { exact: true }).fill('40');
    await expect.poll(() => page.getByTestId('cached').textContent()).toBe('cached');
  });

  it('shows a rejected parameter with its code and correlation id', async () => {
    await page.getByLabel('chunkOverlap', { exact: true }).fill('150');
    const alert = page.locator('.preview-panel .error-banner');
    await expect.poll(() => alert.textContent()).toContain('INVALID_CONFIG');
    expect(await alert.textContent()).toMatch(/Correlation id: \S{8,}/);
    await page.getByLabel('chunkOverlap', { exact: true }).fill('40');
    await expect.poll(() => alert.isVisible()).toBe(false);
  });

  it('compares strategies side by side with the same recommendation as the API', async () => {
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('button', { name: 'Compare' }).click();
    const table = page.locator('.compare-table');
    await table.waitFor();
    const strategies = ['fixed', 'recursive', 'markdown', 'sentence'] as const;
    const expected = await server.client.chunking.compare.mutate({
      content: DOCUMENT,
      strategies: strategies.map((strategy) => ({ strategy, config: { chunkSize: 150, chunkOverlap: 40 } })),
      sampleSize: 0,
    });
    const headers = await table.locator('thead th').allTextContents();
    expect(headers.slice(1).map((header) => header.replace('recommended', ''))).toEqual(strategies);
    const chunkCounts = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(chunkCounts).toEqual(expected.results.map((result) => String(result.totalChunks)));
    expect(await page.getByTestId('recommendation').textContent()).toContain(
      `Recommended: ${expected.recommendation.strategy}.`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'playground-compare.png'), fullPage: true });
  });

  it('creates a collection, applies the strategy with live progress and charts the statistics', async () => {
    await page.getByRole('tab', { name: 'Collections' }).click();
    await page.getByLabel('New collection', { exact: true }).fill('handbook');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('button', { name: 'Add the document at the left' }).click();
    await page.locator('.documents li', { hasText: 'pasted-text.md' }).waitFor();
    await page.getByRole('button', { name: 'Apply the chosen strategy' }).click();
    const status = page.locator('.operation-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('completed');
    expect(await page.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value / bar.max)).toBe(
      1,
    );

    const [collection] = (await server.client.collections.list.query({})).items;
    if (!collection) throw new Error('expected the collection the page created');
    const statistics = await server.client.chunking.statistics.query({ collectionId: collection.id });
    expect(statistics.totalChunks).toBeGreaterThan(1);
    const chart = page.locator('svg.size-chart');
    await expect
      .poll(() => chart.getAttribute('aria-label'))
      .toBe(`Distribution of ${statistics.totalChunks} chunk sizes`);
    // One bar per bin of the server's distribution, which counts every chunk.
    const bars = await chart.locator('rect.bar title').allTextContents();
    expect(bars).toEqual(
      statistics.sizeDistribution.map(({ from, to, count }) => `${from}–${to} chars: ${count} chunks`),
    );
    expect(statistics.sizeDistribution.reduce((sum, bin) => sum + bin.count, 0)).toBe(statistics.totalChunks);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-collections.png'), fullPage: true });
  });

  it('cancels a running operation from the page, leaving every document wholly chunked', async () => {
    await page.getByLabel('New collection', { exact: true }).fill('slow');
    await page.getByRole('button', { name: 'Create' }).click();
    // Files go to the collection on show: wait until the new one has replaced 'handbook'.
    const shown = page.getByLabel('Collection', { exact: true });
    await expect
      .poll(() => shown.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text))
      .toBe('slow');
    await page.getByLabel('Add files…', { exact: true }).setInputFiles(
      SLOW_PARTS.map((part) => ({
        name: `part-${part}.md`,
        mimeType: 'text/markdown',
        buffer: Buffer.from(partDocument(part)),
      })),
    );
    await page.locator('.documents li', { hasText: 'part-4.md' }).waitFor();
    const collection = (await server.client.collections.list.query({})).items.find(
      (item) => item.name === 'slow',
    );
    if (!collection) throw new Error('expected the collection the page created');
    const documents = (await server.client.documents.list.query({ collectionId: collection.id })).items;
    expect(documents).toHaveLength(SLOW_PARTS.length);

    // Chunks from before: fixed windows, applied from the page as well.
    await page.getByLabel('Strategy', { exact: true }).selectOption('fixed');
    await page.getByLabel('chunkSize', { exact: true }).fill('150');
    await page.getByLabel('chunkOverlap', { exact: true }).fill('40');
    await page.getByRole('button', { name: 'Apply the chosen strategy' }).click();
    const status = page.locator('.operation-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('completed');
    const [before] = (await server.client.operations.list.query({ collectionId: collection.id })).items;
    if (before?.status !== 'completed') throw new Error('expected the completed fixed operation');

    // Semantic chunking through the operator-allowed embedder, entered in the generated form. The
    // embedder answers the first document at once and holds the next until the test releases it.
    await page.getByLabel('Strategy', { exact: true }).selectOption('semantic');
    await page
      .getByLabel('embedder', { exact: true })
      .fill(JSON.stringify({ provider: 'openai', baseUrl: embedder.baseUrl, model: 'gated', maxRetries: 0 }));
    await page.getByRole('button', { name: 'Apply the chosen strategy' }).click();
    const bar = page.locator('.operation progress');
    await expect.poll(() => bar.evaluate((element: HTMLProgressElement) => element.value)).toBe(1);
    expect(await status.textContent()).toContain(`1 of ${SLOW_PARTS.length} documents`);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('cancelled');
    expect(await status.textContent()).toMatch(/^Cancelled · 1 of 4 documents/);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-cancelled.png'), fullPage: true });

    const operations = await server.client.operations.list.query({ collectionId: collection.id });
    const cancelled = operations.items.find((operation) => operation.strategy === 'semantic');
    if (!cancelled) throw new Error('expected the semantic operation');
    expect(await server.client.operations.get.query({ id: cancelled.id })).toMatchObject({
      status: 'cancelled',
      documentsDone: 1,
      documentsTotal: SLOW_PARTS.length,
    });

    // The operation was in the second document: cancelling stopped it there (its embedder call
    // was given up), so that document keeps the earlier operation's chunks, whole.
    await expect.poll(() => embedder.requested.length).toBe(2);
    const [completedTag, inFlight] = embedder.requested;
    const writers = async (documentId: string) => {
      const { items } = await server.client.chunks.list.query({
        collectionId: collection.id,
        documentId,
        limit: 100,
      });
      return { operations: [...new Set(items.map((chunk) => chunk.operationId))], chunks: items };
    };
    const inFlightDocument = documents.find((document) => document.name === `${inFlight}.md`);
    if (!inFlightDocument) throw new Error(`expected a document named ${inFlight}.md`);
    expect((await writers(inFlightDocument.id)).operations).toEqual([before.id]);

    // Every document holds one operation's complete chunks: the cancelled one's for the one it
    // finished, the earlier one's for the rest. No document mixes them or misses chunks.
    for (const document of documents) {
      const tag = PART_TAG.exec(document.name)?.[0] ?? '';
      const expectedWriter = tag === completedTag ? cancelled : before;
      const stored = await writers(document.id);
      expect({ document: document.name, operations: stored.operations }).toEqual({
        document: document.name,
        operations: [expectedWriter.id],
      });
      const expected = await server.client.chunking.preview.mutate({
        documentId: document.id,
        ...strategyChoice(expectedWriter.strategy, expectedWriter.config),
      });
      expect(
        stored.chunks.map(({ chunkIndex, startOffset, endOffset }) => ({
          index: chunkIndex,
          startOffset,
          endOffset,
        })),
      ).toEqual(offsetsOf(expected.chunks));
    }
    // The operation asked about no document after the one it was in when cancelled.
    expect(embedder.requested).toHaveLength(2);
  }, 90_000);

  it('highlights every chunk of a 1 MB document at the API offsets', async () => {
    const large = largeDocument(1_000_000);
    const expected = await server.client.chunking.preview.mutate({
      content: large,
      strategy: 'recursive',
      maxChunks: 10_000,
    });
    expect(expected.chunks).toHaveLength(expected.totalChunks);
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Strategy', { exact: true }).selectOption('recursive');
    await page.getByRole('button', { name: 'Reset parameters' }).click();
    // Set the text and fire the input event, as a paste does (typing a megabyte takes too long).
    await page
      .getByLabel('Text (paste, type, or drop a file)', { exact: true })
      .evaluate((area: HTMLTextAreaElement, text) => {
        area.value = text;
        area.dispatchEvent(new Event('input', { bubbles: true }));
      }, large);
    await expect
      .poll(async () => offsetsOf((await renderedChunks(page)).chunks), { timeout: 20_000 })
      .toEqual(offsetsOf(expected.chunks));
    expect((await renderedChunks(page)).text).toBe(large);
    expect(await page.locator('.document-view .text-block').count()).toBeGreaterThan(100);
  });

  it('uploads a PDF from the collection panel and shows the pages each chunk cites', async () => {
    await page.getByRole('tab', { name: 'Collections' }).click();
    await page.getByLabel('New collection', { exact: true }).fill('pdfs');
    await page.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByLabel('Collection', { exact: true });
    await expect
      .poll(() => shown.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text))
      .toBe('pdfs');
    const lines = (number: number) =>
      Array.from({ length: 12 }, (_, line) => `Page ${number} line ${line + 1} of the tide.`);
    const pdf = await buildPdf([{ lines: lines(1) }, { lines: lines(2) }]);
    await page
      .getByLabel('Add files…', { exact: true })
      .setInputFiles([{ name: 'tides.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) }]);
    const item = page.locator('.documents li', { hasText: 'tides.pdf' });
    await expect.poll(() => item.textContent()).toContain('2 pages');
    await item.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByLabel('Strategy', { exact: true }).selectOption('fixed');
    await page.getByLabel('chunkSize', { exact: true }).fill('120');
    await page.getByLabel('chunkOverlap', { exact: true }).fill('0');

    const collection = (await server.client.collections.list.query({})).items.find(
      ({ name }) => name === 'pdfs',
    );
    const [document] = (await server.client.documents.list.query({ collectionId: collection?.id ?? '' }))
      .items;
    const expected = await server.client.chunking.preview.mutate({
      documentId: document?.id ?? '',
      strategy: 'fixed',
      config: { chunkSize: 120, chunkOverlap: 0 },
    });
    await expect
      .poll(async () => offsetsOf((await renderedChunks(page)).chunks))
      .toEqual(offsetsOf(expected.chunks));
    const card = page.locator('.chunk-card');
    for (const chunk of [expected.chunks[0], expected.chunks.at(-1)]) {
      if (!chunk) throw new Error('expected chunks');
      const [first, last] = chunk.metadata.pages as [number, number];
      await page.locator(`.document-view [data-start="${chunk.index}"]`).hover();
      await expect.poll(() => card.textContent()).toContain(`Chunk #${chunk.index}`);
      expect(await card.textContent()).toContain(
        first === last ? `Pagesp. ${first}` : `Pagespp. ${first}–${last}`,
      );
    }
    expect(expected.chunks[0]?.metadata.pages).toEqual([1, 1]);
    expect(expected.chunks.at(-1)?.metadata.pages).toEqual([2, 2]);
  });

  it('renders Swagger UI under the same CSP, which refused nothing on any page', async () => {
    await page.goto(`${server.url}/api/v2/docs/`);
    await page.locator('.swagger-ui .info .title').waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    expect(cspViolations).toEqual([]);
  });
});

/** Markdown sections of prose, repeated up to `length` characters. */
function largeDocument(length: number): string {
  const sections: string[] = [];
  let total = 0;
  for (let section = 0; total < length; section++) {
    const text = `## Section ${section}\n\n${DOCUMENT.split('\n\n').slice(1).join('\n\n')}\n`;
    sections.push(text);
    total += text.length;
  }
  return sections.join('').slice(0, length);
}
