import { Agent, request } from 'node:http';
import type { LatencyRecorder } from './latency-recorder.ts';
import type { RequestStream } from './scenarios.ts';

export interface PacedLoad {
  url: string;
  apiKey: string;
  /** Keep-alive connections the requests share (more are never opened). */
  connections: number;
  ratePerSecond: number;
  /** Stop sending after this many seconds, or after this many requests. */
  budget: { seconds: number } | { requests: number };
}

const TIMEOUT_MS = 30_000;

/**
 * Sends one stream's requests at a constant rate whether or not answers have come back (an open
 * loop), as independent users would. Each latency runs from the moment the request was due, so
 * time spent waiting for a free connection counts: a slow server cannot hide its queue by slowing
 * the sender (the coordinated omission a paced closed loop, such as autocannon's rate limit, has).
 */
export async function runPacedStream(
  stream: RequestStream,
  load: PacedLoad,
  recorder: LatencyRecorder,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.connections });
  const intervalMs = 1000 / load.ratePerSecond;
  const total =
    'requests' in load.budget ? load.budget.requests : Math.floor(load.budget.seconds * load.ratePerSecond);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  try {
    for (let sent = 0; sent < total; sent += 1) {
      const due = started + sent * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const answered = send(agent, load, stream, due, recorder);
      inFlight.add(answered);
      void answered.finally(() => inFlight.delete(answered));
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
}

function send(
  agent: Agent,
  load: PacedLoad,
  stream: RequestStream,
  due: number,
  recorder: LatencyRecorder,
): Promise<void> {
  const { method, path, body } = stream.next();
  return new Promise((resolve) => {
    const outgoing = request(`${load.url}${path}`, {
      method,
      agent,
      timeout: TIMEOUT_MS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${load.apiKey}` },
    });
    const failed = (error: NodeJS.ErrnoException) => {
      recorder.transportError(stream.procedure, error.code ?? error.name);
      resolve();
    };
    outgoing.on('response', (response) => {
      let body = '';
      if (stream.outcomeOf) {
        response.setEncoding('utf8');
        response.on('data', (part: string) => {
          body += part;
        });
      } else {
        response.resume();
      }
      response.on('error', failed); // cut off mid-body
      response.on('end', () => {
        const latencyMs = performance.now() - due;
        recorder.response(stream.procedure, response.statusCode ?? 0, latencyMs, stream.outcomeOf?.(body));
        resolve();
      });
    });
    outgoing.on('timeout', () =>
      outgoing.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    outgoing.on('error', failed);
    outgoing.end(body);
  });
}
