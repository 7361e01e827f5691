import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationError } from '@chunkflow/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbedder, HttpEmbedder } from '../src/embedders/index.ts';

interface Received {
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number };
}

type Responder = (request: Received, res: ServerResponse) => void;

/** A real OpenAI-compatible endpoint on loopback: it embeds a text as [length, vowel count, 1]. */
const vectorOf = (text: string) => [text.length, (text.match(/[aeiou]/g) ?? []).length, 1];
const answerEmbeddings: Responder = (request, res) => {
  // Reversed on purpose: clients must place vectors by `index`, not by position.
  const data = request.body.input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: vectorOf(text),
  }));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: request.body.model }));
};

let received: Received[] = [];
let script: Responder[] = [];
let baseUrl = '';
const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request: Received = {
    authorization: req.headers.authorization,
    body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
  };
  if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
    res.writeHead(404).end();
    return;
  }
  received.push(request);
  (script.shift() ?? answerEmbeddings)(request, res);
});

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});
beforeEach(() => {
  received = [];
  script = [];
});

const fast = { retryBaseMs: 1, retryMaxMs: 50 };
const status =
  (code: number, headers: Record<string, string> = {}): Responder =>
  (_request, res) => {
    res.writeHead(code, headers).end('{"error":{"message":"nope"}}');
  };

async function failureOf(promise: Promise<unknown>): Promise<ApplicationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApplicationError);
  return error as ApplicationError;
}

describe('HttpEmbedder against a local OpenAI-compatible server', () => {
  it('sends batches with model, key and dimensions, and keeps input order', async () => {
    const embedder = new HttpEmbedder({
      baseUrl: `${baseUrl}/`,
      model: 'm1',
      apiKey: 'k',
      dimensions: 3,
      batchSize: 2,
    });
    const texts = ['alpha', 'be', 'cat', 'doge', 'e'];
    const vectors = await embedder.embed(texts);

    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map(vectorOf));
    expect(received.map((r) => r.body.input)).toEqual([['alpha', 'be'], ['cat', 'doge'], ['e']]);
    expect(received.every((r) => r.authorization === 'Bearer k' && r.body.model === 'm1')).toBe(true);
    expect(received[0]?.body.dimensions).toBe(3);
  });

  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    script = [status(429, { 'retry-after': '0' }), status(503), status(500)];
    const vectors = await new HttpEmbedder({ baseUrl, model: 'm', maxRetries: 3, ...fast }).embed(['hi']);
    expect(Array.from(vectors[0] ?? [])).toEqual(vectorOf('hi'));
    expect(received).toHaveLength(4);
  });

  it('gives up after maxRetries with DEPENDENCY_UNAVAILABLE and the attempt count', async () => {
    script = [status(502), status(502), status(502)];
    const error = await failureOf(
      new HttpEmbedder({ baseUrl, model: 'm', maxRetries: 2, ...fast }).embed(['x']),
    );
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 502, attempts: 3 });
    expect(received).toHaveLength(3);
  });

  it('does not retry a client error such as 401', async () => {
    script = [status(401)];
    const error = await failureOf(
      new HttpEmbedder({ baseUrl, model: 'm', maxRetries: 3, ...fast }).embed(['x']),
    );
    expect(error.details).toMatchObject({ status: 401 });
    expect(received).toHaveLength(1);
  });

  it('aborts a slow attempt at the timeout, retries it, and reports TIMEOUT', async () => {
    const hang: Responder = () => undefined;
    script = [hang, hang];
    const embedder = new HttpEmbedder({ baseUrl, model: 'm', timeoutMs: 100, maxRetries: 1, ...fast });
    const error = await failureOf(embedder.embed(['x']));
    expect(error.code).toBe('TIMEOUT');
    expect(error.details).toMatchObject({ attempts: 2, timeoutMs: 100 });
    expect(received).toHaveLength(2);
  });

  it('recovers when only the first attempt times out', async () => {
    script = [() => undefined];
    const embedder = new HttpEmbedder({ baseUrl, model: 'm', timeoutMs: 100, maxRetries: 1, ...fast });
    expect((await embedder.embed(['ok'])).map((v) => Array.from(v))).toEqual([vectorOf('ok')]);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const controller = new AbortController();
    // The caller gives up once its request has reached the embedder, which never answers it.
    script = [() => controller.abort(new Error('caller gave up'))];
    const embedder = new HttpEmbedder({ baseUrl, model: 'm', timeoutMs: 10_000, maxRetries: 3, ...fast });
    await expect(embedder.embed(['x'], { signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(received).toHaveLength(1);
  });

  it('rejects a response that does not hold one vector per input', async () => {
    script = [
      (_request, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ index: 0, embedding: [1] }] }));
      },
    ];
    const error = await failureOf(new HttpEmbedder({ baseUrl, model: 'm', ...fast }).embed(['a', 'b']));
    expect(error.details).toMatchObject({ reason: 'malformed response', expected: 2, received: 1 });
  });

  it('refuses to follow a redirect, without retrying', async () => {
    script = [
      (_request, res) => {
        res.writeHead(307, { location: `${baseUrl}/embeddings` }).end();
      },
    ];
    const error = await failureOf(
      new HttpEmbedder({ baseUrl, model: 'm', maxRetries: 3, ...fast }).embed(['x']),
    );
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.details).toMatchObject({ reason: 'redirect refused' });
    expect(received).toHaveLength(1);
  });

  it('refuses a response larger than its limit, declared or streamed', async () => {
    const huge = `{"data":[{"index":0,"embedding":[${'1,'.repeat(200_000)}1]}]}`;
    script = [
      (_request, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(huge) });
        res.end(huge);
      },
      (_request, res) => {
        // Chunked, no length: the client must stop reading once past the limit.
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 20; i++) res.write(huge);
        res.end();
      },
    ];
    const embedder = new HttpEmbedder({ baseUrl, model: 'm', maxResponseBytesPerText: 1024, ...fast });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(embedder.embed(['x']));
      expect(error.details).toMatchObject({ reason: 'response too large', limitBytes: 64 * 1024 + 1024 });
    }
    expect(received).toHaveLength(2);
    // The default allows a real vector per text.
    script = [answerEmbeddings];
    expect(await new HttpEmbedder({ baseUrl, model: 'm' }).embed(['ok'])).toHaveLength(1);
  });

  it('stops waiting between retries when the caller aborts', async () => {
    script = [status(503)];
    const controller = new AbortController();
    // A minute's backoff: only the abort can end this test within vitest's timeout.
    const embedder = new HttpEmbedder({ baseUrl, model: 'm', retryBaseMs: 60_000, retryMaxMs: 60_000 });
    const pending = embedder.embed(['x'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('operation cancelled')), 50);
    await expect(pending).rejects.toThrow('operation cancelled');
    expect(received).toHaveLength(1);
  });

  it('is what createEmbedder builds for provider "openai"', async () => {
    const embedder = createEmbedder({ provider: 'openai', baseUrl, model: 'm2' });
    expect(embedder.id).toBe('http:m2');
    expect(await embedder.embed([])).toEqual([]);
    expect(received).toHaveLength(0);
  });
});
