// Event streams over WebSocket with the `ws` package, under Node.js: it sends the token in the
// Authorization header, pings every `pingInterval` and gives up after `pongTimeout` without a pong,
// and reads the status of a refused handshake, so that `auto` can fall back to SSE.

import WebSocket from 'ws';
import { httpError, MilkyNetworkError, MilkyTimeoutError } from '../errors.ts';
import type { Session, WebSocketOptions } from './transports.ts';

export function openWebSocket(options: WebSocketOptions): Promise<Session> {
  const ws = new WebSocket(options.url, { headers: options.headers, handshakeTimeout: options.handshakeTimeout, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let settled = false;
    ws.once('unexpected-response', (request, response) => {
      // A refusal: keep its first bytes for the message, without waiting for a body that may not end
      // (a server without WebSocket may answer with its event stream).
      const refuse = (chunk?: Buffer) => {
        if (settled) return;
        settled = true;
        reject(httpError(response.statusCode ?? 0, chunk ? chunk.toString('utf8', 0, 200) : ''));
        request.destroy();
      };
      response.once('data', refuse);
      response.once('end', () => refuse());
    });
    ws.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error.message.includes('timed out') ? new MilkyTimeoutError(options.handshakeTimeout) : new MilkyNetworkError(error));
    });
    ws.once('open', () => {
      settled = true;
      let closedByApp = false;
      let failure: Error | undefined;
      let pongDeadline: ReturnType<typeof setTimeout> | undefined;
      const pinger = setInterval(() => {
        if (pongDeadline) return;
        pongDeadline = setTimeout(() => {
          failure = new MilkyTimeoutError(options.pongTimeout);
          failure.message = `the event stream: no pong within ${options.pongTimeout} ms of a ping`;
          ws.terminate();
        }, options.pongTimeout);
        ws.ping();
      }, options.pingInterval);
      ws.on('pong', () => {
        clearTimeout(pongDeadline);
        pongDeadline = undefined;
      });
      ws.on('message', (data) => options.onMessage(data.toString()));
      ws.on('error', (error) => {
        failure ??= new MilkyNetworkError(error);
      });
      const ended = new Promise<Error | undefined>((done) =>
        ws.once('close', (code, reason) => {
          clearInterval(pinger);
          clearTimeout(pongDeadline);
          if (closedByApp) done(undefined);
          else
            done(
              failure ??
                new MilkyNetworkError(new Error(`the server closed the WebSocket (${code}${reason.length > 0 ? ` ${reason}` : ''})`)),
            );
        }),
      );
      resolve({
        ended,
        close() {
          closedByApp = true;
          ws.close(1000, 'client closing');
          setTimeout(() => ws.terminate(), 1000).unref();
        },
      });
    });
  });
}
