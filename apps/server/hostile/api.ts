/** What the harness keeps of one answer: enough to judge it, never the whole body of a large one. */
export interface Answer {
  /** HTTP status, or 0 when no answer came (connection reset, or the client gave up). */
  status: number;
  /** The application error code of the envelope (REST or tRPC), when there is one. */
  code?: string;
  correlationId?: string;
  message?: string;
  ms: number;
  bytes: number;
  headers: Headers;
  /** The parsed JSON body (undefined when not JSON). */
  body: unknown;
  /** Why no answer came. */
  failure?: string;
}

export interface RequestOptions {
  method?: string;
  /** A string or bytes are sent as they are; anything else as JSON. */
  body?: unknown;
  /** `null` sends no Authorization header; a string sends that key. Default: the client's key. */
  apiKey?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  correlationId?: unknown;
  data?: { code?: unknown; correlationId?: unknown };
  json?: ErrorShape;
}

/**
 * The error facts of either envelope the server speaks: REST `{error:{code,message,correlationId}}`,
 * tRPC `{error:{json:{message,data:{code,correlationId}}}}` (superjson), or a tRPC batch of them.
 */
export function errorFacts(body: unknown): Pick<Answer, 'code' | 'correlationId' | 'message'> {
  const first = Array.isArray(body) ? body.find((item) => item?.error !== undefined) : body;
  const raw = (first as { error?: ErrorShape } | undefined)?.error;
  const error = raw?.json ?? raw;
  if (error === undefined || typeof error !== 'object') return {};
  const code = error.data?.code ?? error.code;
  const correlationId = error.data?.correlationId ?? error.correlationId;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof correlationId === 'string' ? { correlationId } : {}),
    ...(typeof error.message === 'string' ? { message: error.message } : {}),
  };
}

/** The attacker's HTTP client: one server, one default key, every request bounded by `deadlineMs`. */
export class HostileApi {
  constructor(
    readonly url: string,
    readonly apiKey: string,
    readonly deadlineMs: number,
  ) {}

  async request(path: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.apiKey === undefined ? this.apiKey : options.apiKey;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (typeof options.body === 'string') body = options.body;
    // A copy over a plain ArrayBuffer: what fetch's body type takes.
    else if (options.body instanceof Uint8Array) body = new Uint8Array(options.body);
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const started = performance.now();
    try {
      const response = await fetch(`${this.url}${path}`, {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body: body ?? null,
        signal,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const ms = performance.now() - started;
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        parsed = undefined;
      }
      return {
        status: response.status,
        ms,
        bytes: bytes.byteLength,
        headers: response.headers,
        body: parsed,
        ...(response.ok ? {} : errorFacts(parsed)),
      };
    } catch (error) {
      const failure = deadline.aborted
        ? `no answer within ${this.deadlineMs / 1000} s`
        : options.signal?.aborted
          ? 'aborted by the client'
          : String((error as Error).cause ?? error);
      return {
        status: 0,
        ms: performance.now() - started,
        bytes: 0,
        headers: new Headers(),
        body: undefined,
        failure,
      };
    }
  }

  /** POST a JSON body to a REST path under /api/v2. */
  post(path: string, body: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<Answer> {
    return this.request(`/api/v2${path}`, { ...options, method: 'POST', body });
  }

  get(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<Answer> {
    return this.request(`/api/v2${path}`, { ...options, method: 'GET' });
  }

  delete(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<Answer> {
    return this.request(`/api/v2${path}`, { ...options, method: 'DELETE' });
  }

  /** A text document sent through the upload route. */
  upload(collectionId: string, name: string, content: string, apiKey?: string): Promise<Answer> {
    return this.uploadFile(collectionId, name, content, 'text/plain', apiKey);
  }

  /** A file sent through the upload route as it is, with the content type given. */
  uploadFile(
    collectionId: string,
    name: string,
    content: string | Uint8Array,
    contentType: string,
    apiKey?: string,
  ): Promise<Answer> {
    return this.request(
      `/api/v2/collections/${collectionId}/documents/upload?name=${encodeURIComponent(name)}`,
      {
        method: 'PUT',
        body: content,
        headers: { 'content-type': contentType },
        ...(apiKey ? { apiKey } : {}),
      },
    );
  }
}
