import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';

/** Contents remembered as sent (by hash); the oldest is forgotten first. */
const MAX_REMEMBERED = 1_000;

interface ContentPreviewInput {
  content: string;
  strategy: string;
  config?: unknown;
  maxChunks?: number;
}

function contentPreview(input: unknown): input is ContentPreviewInput {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { content?: unknown }).content === 'string'
  );
}

/** Lowercase hex SHA-256 of the content's UTF-8 bytes, as the server computes it (Web Crypto: browsers and Node). */
async function contentHashOf(content: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(content));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function isNotCached(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: unknown } | undefined)?.code === 'NOT_CACHED'
  );
}

/**
 * `chunking.preview` of content this client already sent asks `chunking.previewByHash` with the
 * content's SHA-256 instead of sending the content again; when the server has no such preview
 * (NOT_CACHED: expired, evicted, never stored) the content is sent after all. The caller sees the
 * answer `chunking.preview` gives either way.
 */
export function previewByHash<TRouter extends AnyTRPCRouter>(): TRPCLink<TRouter> {
  const sent = new Set<string>();
  const remember = (hash: string) => {
    sent.delete(hash);
    sent.add(hash);
    if (sent.size > MAX_REMEMBERED) sent.delete(sent.values().next().value as string);
  };
  return () =>
    ({ next, op }) => {
      if (op.path !== 'chunking.preview' || op.type !== 'mutation' || !contentPreview(op.input))
        return next(op);
      const input = op.input;
      return observable((observer) => {
        let upstream: Unsubscribable | undefined;
        let stopped = false;
        const sendContent = (hash: string) => {
          upstream = next(op).subscribe({
            next(envelope) {
              remember(hash);
              observer.next(envelope);
            },
            error: (error) => observer.error(error),
            complete: () => observer.complete(),
          });
        };
        contentHashOf(input.content).then(
          (hash) => {
            if (stopped) return;
            if (!sent.has(hash)) return sendContent(hash);
            const { content: _sent, ...choice } = input;
            upstream = next({
              ...op,
              path: 'chunking.previewByHash',
              input: { ...choice, contentHash: hash },
            }).subscribe({
              next: (envelope) => observer.next(envelope),
              error(error) {
                if (!isNotCached(error) || stopped) return observer.error(error);
                sent.delete(hash);
                sendContent(hash);
              },
              complete: () => observer.complete(),
            });
          },
          (error: unknown) =>
            observer.error(TRPCClientError.from(error instanceof Error ? error : new Error(String(error)))),
        );
        return () => {
          stopped = true;
          upstream?.unsubscribe();
        };
      });
    };
}
