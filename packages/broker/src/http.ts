// `/health` and `/metrics` (Prometheus) over HTTP, with timeouts and nothing else served.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpAnswers } from '@milky/types';
import { serviceUnavailable } from './internal/statuses.ts';
import { bearerToken, tokenCheck } from './internal/tokens.ts';

/** What `/health` and `/metrics` answer. */
export interface OpsEndpoints {
  /** The body of `/health`: `ok`, and whatever else tells the state (503 when not `ok`). */
  health(): Promise<{ ok: boolean } & Record<string, unknown>>;
  /** The body of `/metrics`, in the Prometheus text format. */
  metrics(): string;
}

/** Serves `/health` (open) and `/metrics` (with `token`, only to requests that carry it). */
export async function serveOps(
  endpoints: OpsEndpoints,
  options: { host: string; port: number; token?: string | undefined },
): Promise<{
  /** Where it listens. */
  url: string;
  /** Stops listening and closes its connections. */
  close(): Promise<void>;
}> {
  const { host, port } = options;
  // `/metrics` takes the token in `Authorization: Bearer`, compared in constant time.
  const accepts = options.token === undefined ? undefined : tokenCheck(options.token);
  const server = http.createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(httpAnswers.MethodNotAllowed.status, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/health') {
      const health = await endpoints.health().catch((error: unknown) => ({ ok: false, error: String(error) }));
      response.writeHead(health.ok ? 200 : serviceUnavailable, { 'content-type': 'application/json' }).end(JSON.stringify(health));
    } else if (path === '/metrics' && accepts && !accepts(bearerToken(request.headers.authorization))) {
      response
        .writeHead(httpAnswers.Unauthorized.status, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end("/metrics needs the token of the config's http.token\n");
    } else if (path === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(endpoints.metrics());
    } else {
      response.writeHead(httpAnswers.NotFound.status, { 'content-type': 'text/plain' }).end('not found: /health and /metrics are served\n');
    }
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  server.maxConnections = 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
