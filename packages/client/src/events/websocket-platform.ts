// Event streams over the runtime's own WebSocket (browsers, workers, and any runtime without
// Node.js modules). It cannot send headers, so the token travels as `?access_token=`, the way the
// protocol allows for WebSocket; it has no ping, so a dead connection is noticed by the runtime;
// and it does not say why a handshake failed, so a plain GET of the same URL asks, which lets `auto`
// fall back to SSE and a wrong token end the stream.

import { httpError, MilkyNetworkError, MilkyTimeoutError } from '../errors.ts';
import type { Session, WebSocketOptions } from './transports.ts';

function withQueryToken(options: WebSocketOptions): URL {
  const url = new URL(options.url);
  const authorization = options.headers.authorization;
  if (authorization?.startsWith('Bearer ') && !url.searchParams.has('access_token'))
    url.searchParams.set('access_token', authorization.slice(7));
  return url;
}

/** Why the handshake failed, asked over HTTP: an HTTP error when the server answered, a network error when it did not. */
async function refusal(options: WebSocketOptions, cause: string): Promise<Error> {
  const url = new URL(options.url);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.handshakeTimeout);
  try {
    const response = await options.fetch(url, { headers: options.headers, signal: controller.signal });
    return httpError(response.status === 200 ? 426 : response.status, `${cause}; a plain GET of it answered HTTP ${response.status}`);
  } catch (error) {
    return new MilkyNetworkError(error);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export function openWebSocket(options: WebSocketOptions): Promise<Session> {
  const socket = new WebSocket(withQueryToken(options));
  socket.binaryType = 'arraybuffer';
  const decoder = new TextDecoder();
  return new Promise((resolve, reject) => {
    let settled = false;
    const handshake = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.close();
      reject(new MilkyTimeoutError(options.handshakeTimeout));
    }, options.handshakeTimeout);
    socket.addEventListener('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(handshake);
      refusal(options, 'the WebSocket handshake failed').then(reject);
    });
    socket.addEventListener('open', () => {
      settled = true;
      clearTimeout(handshake);
      let closedByApp = false;
      socket.addEventListener('message', (message: { readonly data: unknown }) => {
        if (typeof message.data === 'string') options.onMessage(message.data);
        else if (message.data instanceof ArrayBuffer) options.onMessage(decoder.decode(message.data));
      });
      const ended = new Promise<Error | undefined>((done) =>
        socket.addEventListener('close', (event: { readonly code: number; readonly reason: string }) => {
          if (closedByApp) done(undefined);
          else
            done(
              new MilkyNetworkError(
                new Error(`the server closed the WebSocket (${event.code}${event.reason.length > 0 ? ` ${event.reason}` : ''})`),
              ),
            );
        }),
      );
      resolve({
        ended,
        close() {
          closedByApp = true;
          socket.close(1000, 'client closing');
        },
      });
    });
  });
}
