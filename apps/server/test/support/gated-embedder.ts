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

export async function startGatedEmbedder(tagPattern: RegExp): Promise<GatedEmbedder> {
  const requested: string[] = [];
  const askedFor = new Map<string, { arrived: Promise<void>; arrive(): void }>();
  const askOf = (tag: string) => {
    let ask = askedFor.get(tag);
    if (!ask) {
      let arrive = () => {};
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      ask = { arrived, arrive };
      askedFor.set(tag, ask);
    }
    return ask;
  };
  const gates = new Map<string, { opened: Promise<void>; open(): void }>();
  const gateOf = (tag: string) => {
    let gate = gates.get(tag);
    if (!gate) {
      let open = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { opened, open };
      gates.set(tag, gate);
      if (gates.size === 1) open();
    }
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
      askOf(tag).arrive();
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
    asked: (tag) => askOf(tag).arrived,
    release: (tag) => gateOf(tag).open(),
    async close() {
      // Requests still held (none, unless an operation went on past its cancellation) are cut.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
