import { describe, expect, it } from 'vitest';
import { rawHttpExchange } from './support/raw-http.ts';
import { startTestServer } from './support/server.ts';

describe('closing the server', () => {
  it('cuts a connection whose request never finishes once the grace period is over, so close ends', async () => {
    // Half of SHUTDOWN_TIMEOUT_MS is the grace for requests in flight.
    const server = await startTestServer('embedded', { environment: { SHUTDOWN_TIMEOUT_MS: '1000' } });
    const stalled = rawHttpExchange(server.url, (host) =>
      [
        'POST /api/v2/collections HTTP/1.1',
        `Host: ${host}`,
        `Authorization: Bearer ${server.apiKey}`,
        'Content-Type: application/json',
        'Content-Length: 1000',
        '',
        '{"name":"never fin',
      ].join('\r\n'),
    );
    // The body has arrived in part: the request is in flight, not an idle connection.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.close();
    // The connection was cut without an answer: the request never completed.
    expect(await stalled).toBe('');
  });
});
