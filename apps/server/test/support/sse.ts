import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent<Data> {
  id: string;
  data: Data;
}

/**
 * Follows a tRPC subscription over its SSE wire format with plain fetch (Node 20 has no
 * EventSource): yields tracked events until the server ends the stream.
 */
export async function* followSubscription<Data>(
  baseUrl: string,
  path: string,
  input: Record<string, unknown>,
  options: { apiKey: string; signal?: AbortSignal },
): AsyncGenerator<SseEvent<Data>> {
  const query = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${baseUrl}/trpc/${path}?input=${query}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${options.apiKey}` },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok || !response.body) throw new Error(`SSE request failed: ${response.status}`);
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => messages.push(message) });
  const decoder = new TextDecoder();
  for await (const bytes of response.body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    while (messages.length > 0) {
      const message = messages.shift() as EventSourceMessage;
      if (message.event === 'return') return;
      if (message.event === 'serialized-error') throw new Error(`subscription error: ${message.data}`);
      if (message.event !== undefined || message.id === undefined) continue;
      yield { id: message.id, data: (JSON.parse(message.data) as { json: Data }).json };
    }
  }
}
