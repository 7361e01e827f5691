import { connect, type Socket } from 'node:net';

export interface StalledUploads {
  /** Sockets the server has answered or closed so far (a hardened server drops stalled senders). */
  readonly answered: number;
  close(): void;
}

/**
 * `count` uploads that each declare a 50 MB body, send one byte of it and then nothing, holding
 * their connections open until `close()`.
 */
export async function stallUploads(options: {
  url: string;
  apiKey: string;
  collectionId: string;
  count: number;
}): Promise<StalledUploads> {
  const { hostname, port } = new URL(options.url);
  const sockets: Socket[] = [];
  let answered = 0;
  await Promise.all(
    Array.from(
      { length: options.count },
      (_, index) =>
        new Promise<void>((resolve) => {
          const socket = connect({ host: hostname, port: Number(port) }, () => {
            socket.write(
              `PUT /api/v2/collections/${options.collectionId}/documents/upload?name=stalled-${index} HTTP/1.1\r\n` +
                `Host: ${hostname}:${port}\r\nAuthorization: Bearer ${options.apiKey}\r\n` +
                'Content-Type: text/plain\r\nContent-Length: 50000000\r\n\r\nx',
              () => resolve(),
            );
          });
          let counted = false;
          const count = () => {
            if (!counted) answered += 1;
            counted = true;
          };
          socket.once('data', count);
          socket.once('close', count);
          socket.on('error', () => resolve());
          sockets.push(socket);
        }),
    ),
  );
  return {
    get answered() {
      return answered;
    },
    close() {
      for (const socket of sockets) socket.destroy();
    },
  };
}
