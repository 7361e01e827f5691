import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible embeddings endpoint that never answers: a real remote embedder in an
 * outage. It counts the requests it holds and those whose caller gave up (the connection closed),
 * so a test can tell that in-flight embedder calls were abandoned. Given `markers`, it holds only
 * requests whose texts contain one of them, until `release(marker)`, and answers the others at
 * once (letter-count vectors).
 */
export interface HangingEmbedder {
  baseUrl: string;
  /** Requests received so far (held or not). */
  readonly received: number;
  /** Requests held so far. */
  readonly held: number;
  /** Requests whose connection the caller closed while they were held. */
  readonly abandoned: number;
  /** Answers the requests held for this marker, and those that come for it later. */
  release(marker: string): void;
  close(): Promise<void>;
}

function letterCounts(text: string): number[] {
  const vector = new Array<number>(27).fill(0);
  for (const letter of text.toLowerCase()) {
    const position = letter.charCodeAt(0) - 97;
    if (position >= 0 && position < 26) vector[position] = (vector[position] ?? 0) + 1;
  }
  vector[26] = 1;
  return vector;
}

export async function startHangingEmbedder(markers?: readonly string[]): Promise<HangingEmbedder> {
  let received = 0;
  let held = 0;
  let abandoned = 0;
  const holding = new Set(markers);
  const waiting = new Map<string, (() => void)[]>();
  const server = createServer(async (request, response) => {
    received += 1;
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const { input } = JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[] };
    const answer = () => {
      const data = input.map((text, index) => ({ index, embedding: letterCounts(text) }));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    };
    const marker =
      markers === undefined ? '' : [...holding].find((held) => input.some((text) => text.includes(held)));
    if (marker === undefined) {
      answer();
      return;
    }
    held += 1;
    waiting.set(marker, [...(waiting.get(marker) ?? []), answer]);
    response.once('close', () => {
      if (!response.writableEnded) abandoned += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get received() {
      return received;
    },
    get held() {
      return held;
    },
    get abandoned() {
      return abandoned;
    },
    release(marker) {
      holding.delete(marker);
      for (const answer of waiting.get(marker) ?? []) answer();
      waiting.delete(marker);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
