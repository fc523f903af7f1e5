// The two ways to receive events from a Milky server, each opened as a session that ends when the
// connection does: WebSocket (opened by the runtime's own module, see src/platform/) and
// Server-Sent Events over the platform's streaming `fetch` (with an idle timeout, and
// `Last-Event-ID` to resume).

import { httpError, MilkyNetworkError, MilkyProtocolError, MilkyTimeoutError } from '../errors.ts';
import { SseParser } from '../internal/sse.ts';

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
  /** For what a runtime's own WebSocket does not tell: why a handshake was refused. */
  readonly fetch: typeof fetch;
  readonly onMessage: (raw: string) => void;
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
  let idle: ReturnType<typeof setTimeout> | undefined;
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
  // Read with a reader rather than `for await`: not every browser iterates a ReadableStream.
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  resetIdle();
  const ended = (async (): Promise<Error | undefined> => {
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        resetIdle();
        parser.feed(chunk.value);
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
