// Event clients for the tests: a WebSocket client, an SSE client, and raw peers that stop reading.

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';

export interface WsClient extends AsyncDisposable {
  readonly ws: WebSocket;
  readonly messages: string[];
  /** Resolves when `count` messages have arrived. */
  waitFor(count: number): Promise<void>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

export async function openWebSocket(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const ws = new WebSocket(url, { headers });
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(String(data));
    for (const waiter of waiters.splice(0)) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    waitFor: (count) =>
      new Promise((resolve) => {
        const check = () => (messages.length >= count ? resolve() : waiters.push(check));
        check();
      }),
    async [Symbol.asyncDispose]() {
      if (ws.readyState !== ws.CLOSED) {
        ws.terminate();
        await closed;
      }
    },
  };
}

/** Tries a WebSocket handshake and resolves with the HTTP status of a refusal (or 101). */
export function webSocketStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('error', () => {});
  });
}

export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

export interface SseClient extends AsyncDisposable {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly events: SseEvent[];
  /** Every line received, comments and fields alike. */
  readonly lines: string[];
  waitFor(count: number): Promise<void>;
  /** Resolves when a line matching `pattern` has arrived. */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when `count` lines matching `pattern` have arrived. */
  waitForLines(pattern: RegExp, count: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const outgoing = http.request(url, { method: 'GET', headers: { accept: 'text/event-stream', ...headers }, agent: false });
  outgoing.end();
  const [response] = (await once(outgoing, 'response')) as [http.IncomingMessage];
  const events: SseEvent[] = [];
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      if (line === '') {
        if (current.data.length > 0) events.push({ id: current.id, event: current.event, data: current.data.join('\n') });
        current = { data: [] };
      } else if (line.startsWith('id: ')) current.id = line.slice(4);
      else if (line.startsWith('event: ')) current.event = line.slice(7);
      else if (line.startsWith('data: ')) current.data.push(line.slice(6));
      newline = buffer.indexOf('\n');
    }
    for (const waiter of waiters.splice(0)) waiter();
  });
  const ended = new Promise<void>((resolve) => {
    response.once('end', () => resolve());
    response.once('close', () => resolve());
  });
  const waitUntil = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : waiters.push(check));
      check();
    });
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    events,
    lines,
    ended,
    waitFor: (count) => waitUntil(() => events.length >= count),
    waitForLines: (pattern, count) => waitUntil(() => lines.filter((line) => pattern.test(line)).length >= count),
    waitForLine: async (pattern) => {
      await waitUntil(() => lines.some((line) => pattern.test(line)));
      return lines.find((line) => pattern.test(line)) as string;
    },
    async [Symbol.asyncDispose]() {
      outgoing.destroy();
      response.destroy();
    },
  };
}

/**
 * A peer that completes the WebSocket handshake and then never reads again (and so never answers
 * a ping): what a frozen or vanished client looks like to the server.
 */
export async function stalledWebSocket(port: number, path: string): Promise<net.Socket & AsyncDisposable> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) head += String((await once(socket, 'data'))[0]);
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${head.split('\r\n')[0]}`);
  socket.pause();
  return Object.assign(socket, { [Symbol.asyncDispose]: async () => void socket.destroy() });
}

/** An SSE peer that reads the response head and then never reads again. */
export async function stalledSse(port: number, path: string): Promise<net.Socket & AsyncDisposable> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  let head = '';
  while (!head.includes('\r\n\r\n')) head += String((await once(socket, 'data'))[0]);
  socket.pause();
  return Object.assign(socket, { [Symbol.asyncDispose]: async () => void socket.destroy() });
}

/** Resolves when `socket` closes. */
export function closedSocket(socket: net.Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
