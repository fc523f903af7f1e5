// A real HTTP receiver on loopback whose answers are scripted per request.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How to answer one request. */
export type Behavior =
  | { readonly status: number; readonly headers?: Record<string, string> }
  | { readonly hang: true }
  | { readonly reset: true };

export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly answered: Behavior;
}

export interface Receiver extends AsyncDisposable {
  readonly url: string;
  /** Requests that arrived, in order, with how each was answered. */
  readonly requests: Received[];
  /** Requests answered 2xx, in order. */
  readonly accepted: () => Received[];
  /** Resolves when `count` requests have been answered 2xx. */
  waitForAccepted(count: number): Promise<void>;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Requests open right now (answered ones count until their response closes), and the most at once so far. */
  readonly concurrency: { current: number; max: number };
  close(): Promise<void>;
}

/**
 * Starts a receiver. `script` answers the requests in order; after it runs out, `otherwise`
 * (a 204 by default) answers the rest. A function script decides per request number (from 0).
 */
export async function startReceiver(
  script: readonly Behavior[] | ((index: number, body: Buffer) => Behavior) = [],
  otherwise: Behavior = { status: 204 },
): Promise<Receiver> {
  const requests: Received[] = [];
  const sockets = new Set<Socket>();
  const concurrency = { current: 0, max: 0 };
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  const server = http.createServer((request, response) => {
    concurrency.current++;
    concurrency.max = Math.max(concurrency.max, concurrency.current);
    response.once('close', () => concurrency.current--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const index = requests.length;
      const behavior = typeof script === 'function' ? script(index, body) : (script[index] ?? otherwise);
      requests.push({ headers: request.headers, body, answered: behavior });
      if ('hang' in behavior) {
        notify();
        return;
      }
      if ('reset' in behavior) request.socket.destroy();
      else {
        response.writeHead(behavior.status, behavior.headers);
        response.end('{"received":true}');
      }
      notify();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const accepted = () => requests.filter((r) => 'status' in r.answered && r.answered.status >= 200 && r.answered.status < 300);
  const waitFor = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : waiters.push(check));
      check();
    });
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/milky/webhook`,
    requests,
    accepted,
    concurrency,
    waitForAccepted: (count) => waitFor(() => accepted().length >= count),
    waitForRequests: (count) => waitFor(() => requests.length >= count),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Collects a dispatcher's log lines. */
export function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } };
}

/** Resolves when the dispatcher has reported `count` deliveries. Call before pushing. */
export function deliveries(emitter: import('node:events').EventEmitter, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = () => {
      if (++seen < count) return;
      emitter.off('delivered', listener);
      resolve();
    };
    emitter.on('delivered', listener);
  });
}
