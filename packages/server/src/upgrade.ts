// Upgrades: only `GET <prefix>/event` with `Upgrade: websocket` becomes a WebSocket. Any other
// upgrade (such as `Upgrade: h2c`, which some HTTP clients add to a POST) is served as the plain
// request it also is.

import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return request.headers.upgrade?.split(',').some((token) => token.trim().toLowerCase() === 'websocket') ?? false;
}

/** Answers an upgrade request with a plain HTTP status and closes the connection (whatever `headers` says of it). */
export function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  const extra = Object.entries(headers)
    .filter(([name]) => name.toLowerCase() !== 'connection')
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`,
  );
}

/**
 * Serves a request that arrived as an upgrade this server declines, on Node.js versions (or
 * servers) where it reached the `upgrade` event. Node.js has ended that request's stream by then,
 * so a fresh one carries its method, URL and headers, fed with the body (its first bytes in
 * `head`, the rest from the socket); the response is written on the socket, which closes after it.
 */
export function serveAsPlainRequest(
  upgraded: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): void {
  const request = new IncomingMessage(socket as Socket);
  request.method = upgraded.method;
  request.url = upgraded.url ?? '/';
  request.headers = upgraded.headers;
  request.rawHeaders = upgraded.rawHeaders;
  request.httpVersionMajor = upgraded.httpVersionMajor;
  request.httpVersionMinor = upgraded.httpVersionMinor;
  request.httpVersion = upgraded.httpVersion;
  const response = new ServerResponse(request);
  response.assignSocket(socket as Socket);
  response.shouldKeepAlive = false;
  response.once('finish', () => {
    response.detachSocket(socket as Socket);
    socket.end();
  });
  if (request.headers['transfer-encoding'] !== undefined) {
    response.writeHead(411, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('send a Content-Length with this request\n');
    return;
  }
  const length = Number(request.headers['content-length'] ?? 0);
  let received = 0;
  const feed = (chunk: Buffer) => {
    const part = chunk.subarray(0, length - received);
    received += part.length;
    if (part.length > 0) request.push(part);
    if (received >= length) {
      socket.off('data', feed);
      request.push(null);
    }
  };
  if (!Number.isSafeInteger(length) || length <= 0) request.push(null);
  else {
    if (head.length > 0) feed(head);
    if (received < length) socket.on('data', feed);
  }
  handle(request, response);
}
