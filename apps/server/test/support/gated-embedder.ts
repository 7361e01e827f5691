import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible embeddings service (`POST {baseUrl}/embeddings`) whose answers a test
 * holds back, so a real operation stays in a known document for as long as the test needs.
 *
 * Texts are tagged by the first match of `tagPattern` (a document's marker). The first tag asked
 * about is answered at once; requests for any other tag wait until `release(tag)`. Untagged
 * texts (other previews) are always answered at once. Vectors are letter counts: deterministic,
 * so chunking the same text twice cuts it the same way.
 */
export interface GatedEmbedder {
  /** What EMBEDDER_ALLOWED_URLS must list and a semantic config names. */
  baseUrl: string;
  /** Tags in the order they were first asked about. */
  readonly requested: readonly string[];
  /** Resolves once a request for `tag` has arrived (it may be held). */
  asked(tag: string): Promise<void>;
  release(tag: string): void;
  close(): Promise<void>;
}

const DIMENSIONS = 26;

function letterCounts(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const letter of text.toLowerCase()) {
    const position = letter.charCodeAt(0) - 97;
    if (position >= 0 && position < DIMENSIONS) vector[position] = (vector[position] ?? 0) + 1;
  }
  // A zero vector has no cosine: every text gets a little of the last dimension.
  vector[DIMENSIONS - 1] = (vector[DIMENSIONS - 1] ?? 0) + 1;
  return vector;
}

async function readJson(request: IncomingMessage): Promise<{ input: string[] }> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[] };
}

interface Latch {
  opened: Promise<void>;
  open(): void;
}

/** The latch of `key` in `latches`, made closed on first use. */
function latchOf(latches: Map<string, Latch>, key: string): Latch {
  let latch = latches.get(key);
  if (!latch) {
    let open = () => {};
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    latch = { opened, open };
    latches.set(key, latch);
  }
  return latch;
}

export async function startGatedEmbedder(tagPattern: RegExp): Promise<GatedEmbedder> {
  const requested: string[] = [];
  // One latch per tag for each of: its request arrived, its gate opened.
  const arrivals = new Map<string, Latch>();
  const gates = new Map<string, Latch>();
  const gateOf = (tag: string) => {
    const fresh = !gates.has(tag);
    const gate = latchOf(gates, tag);
    // The first tag asked for never waits: only later documents are held.
    if (fresh && gates.size === 1) gate.open();
    return gate;
  };

  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
      response.writeHead(404).end();
      return;
    }
    const { input } = await readJson(request);
    const tag = input.map((text) => tagPattern.exec(text)?.[0]).find((found) => found !== undefined);
    if (tag !== undefined) {
      if (!requested.includes(tag)) requested.push(tag);
      latchOf(arrivals, tag).open();
      await gateOf(tag).opened;
    }
    const data = input.map((text, index) => ({ index, embedding: letterCounts(text) }));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requested,
    asked: (tag) => latchOf(arrivals, tag).opened,
    release: (tag) => gateOf(tag).open(),
    async close() {
      // Requests still held (none, unless an operation went on past its cancellation) are cut.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
