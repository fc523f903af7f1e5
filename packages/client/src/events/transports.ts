// The two ways to receive events from a Milky server, each opened as a session that ends when the
// connection does: WebSocket (with a ping and a pong timeout to notice a dead connection) and
// Server-Sent Events (with an idle timeout, and `Last-Event-ID` to resume).

import WebSocket from 'ws';
import { httpError, MilkyNetworkError, MilkyProtocolError, MilkyTimeoutError } from '../errors.ts';
import { SseParser } from './sse-parser.ts';

export interface Session {
  /** Resolves when the connection ends: with why, or `undefined` when the app closed it. */
  readonly ended: Promise<Error | undefined>;
  close(): void;
}

export interface WebSocketOptions {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly handshakeTimeout: number;
  readonly pingInterval: number;
  readonly pongTimeout: number;
  readonly onMessage: (raw: string) => void;
}

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
      let pongDeadline: NodeJS.Timeout | undefined;
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

export interface SseOptions {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly handshakeTimeout: number;
  readonly idleTimeout: number;
  readonly lastEventId: string | undefined;
  readonly fetch: typeof fetch;
  readonly onMessage: (raw: string) => void;
  /** The id of the last event received, to resume from; called before `onMessage` with that event. */
  readonly onId: (id: string) => void;
  /** The server's `retry:` hint, in ms. */
  readonly onRetry: (milliseconds: number) => void;
}

export async function openSse(options: SseOptions): Promise<Session> {
  const controller = new AbortController();
  const handshake = setTimeout(() => controller.abort(new MilkyTimeoutError(options.handshakeTimeout)), options.handshakeTimeout);
  let response: Response;
  try {
    response = await options.fetch(options.url, {
      headers: {
        ...options.headers,
        accept: 'text/event-stream',
        ...(options.lastEventId !== undefined ? { 'last-event-id': options.lastEventId } : {}),
      },
      signal: controller.signal,
    });
  } catch (error) {
    throw controller.signal.aborted ? (controller.signal.reason as Error) : new MilkyNetworkError(error);
  } finally {
    clearTimeout(handshake);
  }
  if (response.status !== 200) throw httpError(response.status, await response.text().catch(() => ''));
  if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) {
    controller.abort();
    throw new MilkyProtocolError(`expected text/event-stream, got ${response.headers.get('content-type') ?? 'no content type'}`);
  }
  let closedByApp = false;
  let idle: NodeJS.Timeout | undefined;
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      const timeout = new MilkyTimeoutError(options.idleTimeout);
      timeout.message = `the event stream: nothing received for ${options.idleTimeout} ms`;
      controller.abort(timeout);
    }, options.idleTimeout);
  };
  const parser = new SseParser(
    {
      message(message) {
        if (message.id !== undefined) options.onId(message.id);
        if (message.event === 'milky_event' || message.event === 'message') options.onMessage(message.data);
      },
      retry: options.onRetry,
    },
    options.lastEventId,
  );
  const body = response.body.pipeThrough(new TextDecoderStream());
  resetIdle();
  const ended = (async (): Promise<Error | undefined> => {
    try {
      for await (const chunk of body) {
        resetIdle();
        parser.feed(chunk);
      }
      return closedByApp ? undefined : new MilkyNetworkError(new Error('the server ended the event stream'));
    } catch (error) {
      if (closedByApp) return undefined;
      return controller.signal.aborted && controller.signal.reason instanceof Error
        ? controller.signal.reason
        : new MilkyNetworkError(error);
    } finally {
      clearTimeout(idle);
    }
  })();
  return {
    ended,
    close() {
      closedByApp = true;
      controller.abort();
    },
  };
}
