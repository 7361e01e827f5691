import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mayScrapeMetrics, type ServiceMetrics } from '@chunkflow/core-services';

/**
 * Workers serve no API, but operations end in them: `GET /metrics` exposes the same registry as
 * the server's (operation outcomes, database statements, queue backlog, runtime) for Prometheus,
 * behind the same optional token.
 */
export async function serveMetrics(
  metrics: ServiceMetrics,
  port: number,
  token?: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (!mayScrapeMetrics(request.headers.authorization, token)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': metrics.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  server.listen(port, '0.0.0.0');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
