import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';

export interface HangingEmbedder {
  /** What EMBEDDER_ALLOWED_URLS lists and an `openai` embedder config names. */
  baseUrl: string;
  /** Connections the server has opened to it so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** An embedder in an outage of the worst kind: it accepts every connection and never answers. */
export async function startHangingEmbedder(): Promise<HangingEmbedder> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
