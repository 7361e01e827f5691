import { connect, type Socket } from 'node:net';

const MIB = 1024 * 1024;

export interface RawHttpOptions {
  /** Ends our side once a JSON answer is in, rather than waiting for the server to close. */
  endAfterJsonAnswer?: boolean;
  /** Goes on sending after the request (a body in pieces, a byte at a time) until the connection closes. */
  keepSending?: (socket: Socket) => void;
}

/**
 * Writes `request` (given the `hostname:port` for its Host header) on a bare TCP connection to the
 * server at `url` and resolves with all it answers before the connection closes or fails. For what
 * fetch will not send: a broken head, a Content-Length the body never reaches, a stalled sender.
 */
export function rawHttpExchange(
  url: string,
  request: (host: string) => string,
  options: RawHttpOptions = {},
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      answer += text;
      if (options.endAfterJsonAnswer && answer.includes('\r\n\r\n') && answer.endsWith('}')) socket.end();
    });
    // A reset or a refusal is an outcome too: the test judges whatever arrived before it.
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(request(`${hostname}:${port}`));
    options.keepSending?.(socket);
  });
}

/** Sends `piece` every `everyMs` until the connection closes: a client too slow for the server. */
export function trickle(piece: string, everyMs: number): (socket: Socket) => void {
  return (socket) => {
    const timer = setInterval(() => socket.write(piece), everyMs);
    socket.on('close', () => clearInterval(timer));
  };
}

/** The first line of a raw answer, e.g. `HTTP/1.1 429 Too Many Requests`; empty if none came. */
export function statusLineOf(answer: string): string {
  return answer.split('\r\n')[0] ?? '';
}

/** The status code of a raw answer; 0 if none came. */
export function statusOf(answer: string): number {
  return Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
}

/**
 * Streams a chunked body (no declared length) of up to `maxBytes` on a raw socket until the server
 * cuts the connection; returns its answer, how many body bytes were sent in all, and how many
 * had been sent when the first byte of the answer arrived.
 */
export async function streamUndeclaredBody(url: string, path: string, apiKey: string, maxBytes: number) {
  const chunk = Buffer.concat([
    Buffer.from(`${MIB.toString(16)}\r\n`),
    Buffer.alloc(MIB, 'a'),
    Buffer.from('\r\n'),
  ]);
  let sentBytes = 0;
  let sentBeforeAnswer = 0;
  const sendChunks = (socket: Socket) => {
    socket.once('data', () => {
      sentBeforeAnswer = sentBytes;
    });
    const pump = () => {
      while (sentBytes < maxBytes) {
        sentBytes += MIB;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end('0\r\n\r\n');
    };
    pump();
  };
  const answer = await rawHttpExchange(
    url,
    (host) =>
      [
        `PUT ${path} HTTP/1.1`,
        `Host: ${host}`,
        `Authorization: Bearer ${apiKey}`,
        'Content-Type: text/plain',
        'Transfer-Encoding: chunked',
        '',
        '',
      ].join('\r\n'),
    { keepSending: sendChunks },
  );
  return { answer, statusLine: statusLineOf(answer), sentBytes, sentBeforeAnswer };
}
