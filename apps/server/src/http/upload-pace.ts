import { TimeoutError } from '@chunkflow/errors';

export interface UploadPace {
  /** A sender that sends nothing for this long is cut off. */
  idleTimeoutMs: number;
  /** Slowest average a sender may keep up, counted after its first `idleTimeoutMs` of sending. */
  minBytesPerSecond: number;
}

/** Refusal of an upload whose sender stalled or trickled; the connection is closed after it. */
export class UploadTooSlowError extends TimeoutError {
  constructor(reason: string, timeoutMs: number) {
    super('Upload', timeoutMs, { details: { reason } });
  }
}

/**
 * The body's pieces as they come, as long as the sender keeps pace: nothing for `idleTimeoutMs`,
 * or an average below `minBytesPerSecond`, throws UploadTooSlowError. Only time spent waiting on
 * the sender counts (not time the reader spends waiting for upload memory), so a busy server never
 * blames its clients. A stalled sender's pending read is left to the connection's close.
 */
export async function* pacedBody(
  body: AsyncIterable<Uint8Array>,
  pace: UploadPace,
): AsyncGenerator<Uint8Array, void, undefined> {
  const pieces = body[Symbol.asyncIterator]();
  let receivedBytes = 0;
  let sendingMs = 0;
  let reading = false;
  try {
    for (;;) {
      const started = performance.now();
      reading = true;
      const next = await withinIdleTimeout(pieces.next(), pace.idleTimeoutMs);
      reading = false;
      sendingMs += performance.now() - started;
      if (next.done) return;
      receivedBytes += next.value.byteLength;
      const requiredBytes = (pace.minBytesPerSecond * (sendingMs - pace.idleTimeoutMs)) / 1000;
      if (receivedBytes < requiredBytes) {
        throw new UploadTooSlowError(`slower than ${pace.minBytesPerSecond} bytes/s`, Math.round(sendingMs));
      }
      yield next.value;
    }
  } finally {
    // Detach from the body, so its unread rest can be dropped. A read still pending (a stalled
    // sender) cannot be waited for: the detach then happens when the connection closes.
    const detached = pieces.return?.();
    if (reading) void detached?.catch(() => undefined);
    else await detached;
  }
}

function withinIdleTimeout<T>(read: Promise<T>, idleTimeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new UploadTooSlowError(`nothing received for ${idleTimeoutMs} ms`, idleTimeoutMs)),
      idleTimeoutMs,
    );
  });
  return Promise.race([read, idle]).finally(() => clearTimeout(timer));
}
