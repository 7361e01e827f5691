import { DependencyUnavailableError, TimeoutError } from '@chunkflow/errors';
import { z } from 'zod';
import type { Embedder, EmbedOptions } from './embedder.ts';

export interface HttpEmbedderOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** Requested output dimensions, for models that support shortening. */
  dimensions?: number | undefined;
  /** Texts per request. */
  batchSize?: number | undefined;
  /** Per-attempt timeout. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, on 429, 5xx, network errors and timeouts. */
  maxRetries?: number | undefined;
  /** First backoff delay; doubles each retry unless the server sends Retry-After. */
  retryBaseMs?: number;
  /** Upper bound on any single wait, including a server's Retry-After. */
  retryMaxMs?: number;
  /**
   * A response may hold at most this many bytes per input text (a 3072-dimension vector is about
   * 70 KB of JSON); a larger one is refused, not read.
   */
  maxResponseBytesPerText?: number;
}

/** Room for the envelope of a response (model, usage, an error message). */
const RESPONSE_ENVELOPE_BYTES = 64 * 1024;

const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
});

const dependencyName = 'embedding service';

class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    readonly details: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The URL without trailing slashes, as embedder base URLs are compared and joined. */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}

/** Waits `ms`; an abort of `signal` ends the wait at once, rejecting with its reason. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** fetch with `redirect: 'error'` fails this way on a 3xx: the endpoint is not where it was allowed. */
function isRefusedRedirect(error: unknown): boolean {
  return error instanceof TypeError && error.cause instanceof Error && /redirect/i.test(error.cause.message);
}

class ResponseTooLarge extends Error {}

/** The body as text, refusing (and cancelling) one longer than `limit` bytes without reading on. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new ResponseTooLarge();
  }
  if (response.body === null) return '';
  const parts: Uint8Array[] = [];
  let received = 0;
  for await (const part of response.body) {
    received += part.byteLength;
    if (received > limit) {
      await response.body.cancel().catch(() => undefined);
      throw new ResponseTooLarge();
    }
    parts.push(part);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Embeds through `POST {baseUrl}/embeddings` (the OpenAI wire format, also served by vLLM,
 * Ollama, LM Studio, LiteLLM…). Texts go in batches; each attempt is bounded by an AbortSignal
 * timeout; 429/5xx/network failures are retried with exponential backoff (honouring Retry-After).
 */
export class HttpEmbedder implements Embedder {
  readonly id: string;
  private readonly url: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxResponseBytesPerText: number;

  constructor(private readonly options: HttpEmbedderOptions) {
    this.url = `${withoutTrailingSlashes(options.baseUrl)}/embeddings`;
    this.batchSize = options.batchSize ?? 64;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 20_000;
    this.maxResponseBytesPerText = options.maxResponseBytesPerText ?? 256 * 1024;
    this.id = `http:${options.model}`;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      vectors.push(...(await this.embedBatchWithRetries(batch, options.signal)));
    }
    return vectors;
  }

  private async embedBatchWithRetries(
    batch: readonly string[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return await this.embedBatch(batch, signal);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        if (attempt >= this.maxRetries) throw this.exhausted(error, attempt + 1);
        const backoff = this.retryBaseMs * 2 ** attempt;
        await sleep(Math.min(error.retryAfterMs ?? backoff, this.retryMaxMs), signal);
      }
    }
  }

  private async embedBatch(batch: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const body = JSON.stringify({
      model: this.options.model,
      input: batch,
      encoding_format: 'float',
      ...(this.options.dimensions === undefined ? {} : { dimensions: this.options.dimensions }),
    });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'error',
      });
    } catch (error) {
      // The caller's abort is final: no retry, and its reason is the error.
      signal?.throwIfAborted();
      if (isRefusedRedirect(error)) {
        throw new DependencyUnavailableError(dependencyName, {
          details: { reason: 'redirect refused', url: this.url },
          cause: error,
          retryAfter: undefined,
        });
      }
      throw this.transportFailure(error);
    }
    if (isRetryableStatus(response.status)) {
      await response.body?.cancel();
      throw new RetryableFailure(
        `HTTP ${response.status}`,
        parseRetryAfter(response.headers.get('retry-after')),
        {
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      const detail = (await readLimited(response, RESPONSE_ENVELOPE_BYTES).catch(() => '')).slice(0, 500);
      throw new DependencyUnavailableError(dependencyName, {
        details: { status: response.status, body: detail },
        retryAfter: undefined,
      });
    }
    return this.parse(await this.readBody(response, batch.length, signal), batch.length);
  }

  /** The JSON body, read within the size limit for `texts` inputs; a stalled read times out like the request. */
  private async readBody(response: Response, texts: number, signal?: AbortSignal): Promise<unknown> {
    const limit = RESPONSE_ENVELOPE_BYTES + texts * this.maxResponseBytesPerText;
    let body: string;
    try {
      body = await readLimited(response, limit);
    } catch (error) {
      signal?.throwIfAborted();
      if (error instanceof ResponseTooLarge) {
        throw new DependencyUnavailableError(dependencyName, {
          details: { reason: 'response too large', limitBytes: limit },
          retryAfter: undefined,
        });
      }
      throw this.transportFailure(error);
    }
    try {
      return JSON.parse(body);
    } catch (error) {
      throw new DependencyUnavailableError(dependencyName, {
        details: { reason: 'malformed response' },
        cause: error,
        retryAfter: undefined,
      });
    }
  }

  /** A request or body read cut short by the timeout or the network: worth another attempt. */
  private transportFailure(error: unknown): RetryableFailure {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return new RetryableFailure(
      timedOut ? 'timeout' : 'network error',
      undefined,
      { timedOut, url: this.url },
      { cause: error },
    );
  }

  private parse(json: unknown, expected: number): Float32Array[] {
    const parsed = embeddingsResponse.safeParse(json);
    const items = parsed.success ? parsed.data.data : [];
    const vectors: Float32Array[] = [];
    for (const item of items) {
      if (item.index < expected) vectors[item.index] = Float32Array.from(item.embedding);
    }
    // Every input needs exactly one vector; holes or extras mean the server answered something else.
    const complete = items.length === expected && Object.keys(vectors).length === expected;
    if (!complete) {
      throw new DependencyUnavailableError(dependencyName, {
        details: { reason: 'malformed response', expected, received: items.length },
        cause: parsed.error,
        retryAfter: undefined,
      });
    }
    return vectors;
  }

  private exhausted(failure: RetryableFailure, attempts: number): Error {
    const details = { ...failure.details, attempts };
    if (failure.details.timedOut === true) {
      return new TimeoutError(`${dependencyName} request`, this.timeoutMs, { details, cause: failure });
    }
    return new DependencyUnavailableError(dependencyName, { details, cause: failure });
  }
}
