// CORS for the configured origins: browsers may call the APIs and open the event stream.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Sets the CORS headers of a request from an allowed origin; returns whether it is allowed. */
export function applyCors(allowed: readonly string[], request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || allowed.length === 0) return false;
  if (allowed.includes('*')) {
    response.setHeader('access-control-allow-origin', '*');
    return true;
  }
  if (!allowed.includes(origin)) return false;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'Origin');
  return true;
}

export function isPreflight(request: IncomingMessage): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/** Answers a preflight of an allowed origin; the token is checked on the request that follows. */
export function answerPreflight(response: ServerResponse): void {
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': 'authorization, content-type, last-event-id',
    'access-control-max-age': '600',
  });
  response.end();
}
