import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible embeddings endpoint that never answers: a real remote embedder in an
 * outage. It counts the requests it holds and those whose caller gave up (the connection closed),
 * so a test can tell that in-flight embedder calls were abandoned.
 */
export interface HangingEmbedder {
  baseUrl: string;
  /** Requests received so far. */
  readonly received: number;
  /** Requests whose connection the caller closed while they were held. */
  readonly abandoned: number;
  close(): Promise<void>;
}

export async function startHangingEmbedder(): Promise<HangingEmbedder> {
  let received = 0;
  let abandoned = 0;
  const server = createServer((request, response) => {
    received += 1;
    response.once('close', () => {
      if (!response.writableEnded) abandoned += 1;
    });
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get received() {
      return received;
    },
    get abandoned() {
      return abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
