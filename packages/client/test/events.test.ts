// The event stream against a real @milky/server, and against servers that go away or go quiet.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MilkyServer } from '@milky/server';
import { milkyRouter } from '@milky/server/express';
import { type Event, type EventOf, milkyVersion } from '@milky/types';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { WebSocketServer } from 'ws';
import { MilkyClient, type MilkyEventMap, MilkyTimeoutError, MilkyUnauthorizedError, unsupportedSegment } from '../src/index.ts';
import { recordingLogger, silent } from './helpers.ts';

const token = 'stream-token';
const nudge = (n: number): EventOf<'group_nudge'> => ({
  time: 1763900000 + n,
  self_id: 10001,
  event_type: 'group_nudge',
  data: {
    group_id: 123456,
    sender_id: 10002,
    receiver_id: 10001,
    display_action: 'poked',
    display_suffix: `#${n}`,
    display_action_img_url: '',
  },
});

/** Resolves with the next notification of a kind. */
function next<K extends keyof MilkyEventMap>(client: MilkyClient, name: K): Promise<MilkyEventMap[K]> {
  return once(client as never, name as string) as Promise<MilkyEventMap[K]>;
}

async function startServer(port = 0) {
  const server = new MilkyServer({ accessToken: token, port, logger: silent });
  const address = await server.listen();
  return Object.assign(server, { port: address.port, url: `http://127.0.0.1:${address.port}` });
}

describe('receiving events', () => {
  test.each(['websocket', 'sse'] as const)('over %s: typed notifications, the catch-all, raw text and an iterator', async (transport) => {
    await using server = await startServer();
    await using client = new MilkyClient({ baseUrl: server.url, accessToken: token, logger: silent });
    const typed: number[] = [];
    const all: string[] = [];
    const raw: string[] = [];
    client.on('group_nudge', (event) => typed.push(event.time));
    client.on('event', (event) => all.push(event.event_type));
    client.on('raw', (json) => raw.push(json));
    const connected = next(client, 'connected');
    await client.connect({ transport });
    expect(await connected).toEqual([{ transport }]);
    const iterator = client.events();
    const first = iterator.next();
    server.emit(nudge(1));
    server.emit({ time: 1763900002, self_id: 10001, event_type: 'bot_offline', data: { reason: 'bye' } });
    expect((await first).value).toEqual(nudge(1));
    expect((await iterator.next()).value).toMatchObject({ event_type: 'bot_offline' });
    expect(typed).toEqual([1763900001]);
    expect(all).toEqual(['group_nudge', 'bot_offline']);
    expect(raw[0]).toBe(JSON.stringify(nudge(1)));
    await client.disconnect();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  test('auto falls back to SSE when the server offers no WebSocket', async () => {
    const app = express();
    const milky = new MilkyServer({ logger: silent });
    app.use(milkyRouter(milky));
    const host = http.createServer(app);
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    const { logger, lines } = recordingLogger();
    const client = new MilkyClient({ baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`, logger });
    try {
      const connected = next(client, 'connected');
      await client.connect();
      expect(await connected).toEqual([{ transport: 'sse' }]);
      expect(lines.find((line) => line.message.includes('using SSE'))).toBeDefined();
      const arrived = next(client, 'group_nudge');
      milky.emit(nudge(1));
      expect(await arrived).toEqual([nudge(1)]);
    } finally {
      await client.disconnect();
      await milky.close({ deadline: 0 });
      host.closeAllConnections();
      host.close();
    }
  });

  test('auto keeps to WebSocket when the handshake fails with a 5xx (a server starting), and retries it', async () => {
    const milky = new MilkyServer({ logger: silent });
    const host = http.createServer();
    milky.attach(host);
    const serve = host.listeners('upgrade') as Array<(...args: unknown[]) => void>;
    host.removeAllListeners('upgrade');
    let refused = 0;
    host.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (refused < 2) {
        refused++;
        socket.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 8\r\nconnection: close\r\n\r\nstarting');
        return;
      }
      for (const listener of serve) listener.call(host, request, socket, head);
    });
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    const client = new MilkyClient({
      baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
      logger: silent,
      events: { reconnect: { baseDelay: 10, maxDelay: 20 } },
    });
    try {
      const connected = next(client, 'connected');
      await client.connect();
      expect(await connected).toEqual([{ transport: 'websocket' }]);
      expect(refused).toBe(2);
    } finally {
      await client.disconnect();
      await milky.close({ deadline: 0 });
      host.closeAllConnections();
      host.close();
    }
  });

  test('a wrong token ends the stream at once: connect() rejects, disconnected says why', async () => {
    await using server = await startServer();
    const client = new MilkyClient({ baseUrl: server.url, accessToken: 'wrong', logger: silent });
    const disconnected = next(client, 'disconnected');
    const error = await client.connect().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MilkyUnauthorizedError);
    expect((await disconnected)[0].error).toBe(error);
  });

  test('after the server restarts, the client reconnects with backoff and receives again', async () => {
    const first = await startServer();
    const port = first.port;
    await using client = new MilkyClient({
      baseUrl: first.url,
      accessToken: token,
      logger: silent,
      events: { transport: 'websocket', reconnect: { baseDelay: 20, maxDelay: 100 } },
    });
    await client.connect();
    const reconnecting = next(client, 'reconnecting');
    await first.close({ deadline: 0 });
    const [{ attempt, delay, error }] = await reconnecting;
    expect(attempt).toBe(1);
    expect(delay).toBeLessThanOrEqual(20);
    expect(error.message).toContain('the server closed the WebSocket (1001');
    const connectedAgain = next(client, 'connected');
    await using second = await startServer(port);
    await connectedAgain;
    const arrived = next(client, 'group_nudge');
    second.emit(nudge(2));
    expect(await arrived).toEqual([nudge(2)]);
  });

  test('the backoff starts over after a connection that stayed up; otherwise it keeps counting', async () => {
    for (const [stableAfter, expected] of [
      [0, [1, 1]],
      [60_000, [1, 2]],
    ] as const) {
      let server = await startServer();
      const port = server.port;
      const client = new MilkyClient({
        baseUrl: server.url,
        accessToken: token,
        logger: silent,
        events: { transport: 'websocket', reconnect: { baseDelay: 5, maxDelay: 10, stableAfter } },
      });
      const attempts: number[] = [];
      client.on('reconnecting', ({ attempt }) => attempts.push(attempt));
      await client.connect();
      for (let outage = 0; outage < 2; outage++) {
        const reconnecting = next(client, 'reconnecting');
        await server.close({ deadline: 0 });
        await reconnecting;
        const connected = next(client, 'connected');
        server = await startServer(port);
        await connected;
      }
      await client.disconnect();
      await server.close({ deadline: 0 });
      expect(attempts.slice(0, 1).concat(attempts.slice(-1))).toEqual(expected);
    }
  });

  test('tokenInQuery sends the token URL-encoded as ?access_token=', async () => {
    const odd = 'a b&c=d/é?#';
    const queries: string[] = [];
    const host = http.createServer((request, response) => {
      queries.push(new URL(request.url ?? '/', 'http://x').search);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`event: milky_event\ndata: ${JSON.stringify(nudge(1))}\n\n`);
    });
    const wss = new WebSocketServer({
      server: host,
      verifyClient: (info: { req: http.IncomingMessage }) => {
        queries.push(new URL(info.req.url ?? '/', 'http://x').search);
        return true;
      },
    });
    wss.on('connection', (socket) => socket.send(JSON.stringify(nudge(1))));
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    try {
      for (const transport of ['websocket', 'sse'] as const) {
        const client = new MilkyClient({
          baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
          accessToken: odd,
          logger: silent,
          events: { tokenInQuery: true },
        });
        const arrived = next(client, 'group_nudge');
        await client.connect({ transport });
        expect(await arrived).toEqual([nudge(1)]);
        await client.disconnect();
      }
      const encoded = '?access_token=a+b%26c%3Dd%2F%C3%A9%3F%23';
      expect(queries).toEqual([encoded, encoded]);
      expect(new URLSearchParams(encoded).get('access_token')).toBe(odd);
    } finally {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      host.closeAllConnections();
      host.close();
    }
  });

  test('gives up after maxAttempts failures in a row', async () => {
    const server = await startServer();
    await using client = new MilkyClient({
      baseUrl: server.url,
      accessToken: token,
      logger: silent,
      events: { transport: 'websocket', reconnect: { baseDelay: 1, maxDelay: 5, maxAttempts: 3 } },
    });
    await client.connect();
    const attempts: number[] = [];
    client.on('reconnecting', ({ attempt }) => attempts.push(attempt));
    const disconnected = next(client, 'disconnected');
    await server.close({ deadline: 0 });
    const [{ error }] = await disconnected;
    expect(attempts).toEqual([1, 2, 3]);
    expect(error?.message).toContain('ECONNREFUSED');
  });
});

describe('liveness', () => {
  test('WebSocket: no pong within the timeout drops the connection and reconnects', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await once(wss, 'listening');
    const port = (wss.address() as AddressInfo).port;
    await using client = new MilkyClient({
      baseUrl: `http://127.0.0.1:${port}`,
      logger: silent,
      events: { transport: 'websocket', pingInterval: 20, pongTimeout: 30, reconnect: { baseDelay: 10 } },
    });
    try {
      await client.connect();
      const [{ error }] = await next(client, 'reconnecting');
      expect(error).toBeInstanceOf(MilkyTimeoutError);
      expect(error.message).toBe('the event stream: no pong within 30 ms of a ping');
    } finally {
      await client.disconnect();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    }
  });

  test('SSE: a stream silent for the idle timeout is dropped and resumed with Last-Event-ID', async () => {
    const requests: Array<string | undefined> = [];
    const host = http.createServer((request, response) => {
      requests.push(request.headers['last-event-id'] as string | undefined);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`retry: 10\n\nid: run-${requests.length}\nevent: milky_event\ndata: ${JSON.stringify(nudge(requests.length))}\n\n`);
    });
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    await using client = new MilkyClient({
      baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
      logger: silent,
      events: { transport: 'sse', idleTimeout: 40 },
    });
    try {
      const received: number[] = [];
      client.on('group_nudge', (event) => received.push(event.time - 1763900000));
      await client.connect();
      const [{ error }] = await next(client, 'reconnecting');
      expect(error.message).toBe('the event stream: nothing received for 40 ms');
      await next(client, 'connected');
      await next(client, 'group_nudge');
      expect(requests).toEqual([undefined, 'run-1']);
      expect(received).toEqual([1, 2]);
    } finally {
      await client.disconnect();
      host.closeAllConnections();
      host.close();
    }
  });
});

describe('resuming in a later run', () => {
  test('SSE: lastEventId is the id of the event being handed out, and a new client resumes from it', async () => {
    await using server = await startServer();
    const first = new MilkyClient({ baseUrl: server.url, accessToken: token, logger: silent });
    const ids: Array<string | undefined> = [];
    first.on('event', () => ids.push(first.lastEventId));
    await first.connect({ transport: 'sse' });
    const received = next(first, 'group_nudge');
    server.emit(nudge(1));
    await received;
    await first.disconnect();
    expect(ids).toHaveLength(1);
    expect(first.lastEventId).toBe(ids[0]);
    server.emit(nudge(2));
    server.emit(nudge(3));
    await using second = new MilkyClient({ baseUrl: server.url, accessToken: token, logger: silent });
    const times: number[] = [];
    const both = new Promise<void>((done) =>
      second.on('group_nudge', (event) => {
        times.push(event.time - 1763900000);
        if (times.length === 2) done();
      }),
    );
    await second.connect({ transport: 'sse', lastEventId: first.lastEventId });
    await both;
    expect(times).toEqual([2, 3]);
    expect(second.lastEventId).toMatch(/-3$/);
  });
});

describe('validation of events', () => {
  function sseServer(events: readonly string[]) {
    const host = http.createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const data of events) response.write(`event: milky_event\ndata: ${data}\n\n`);
    });
    host.listen(0, '127.0.0.1');
    return host;
  }

  const unknownType = JSON.stringify({ time: 1, self_id: 10001, event_type: 'x_unknown_event', data: { group_id: 123456 } });
  const unknownSegment = JSON.stringify({
    time: 1,
    self_id: 10001,
    event_type: 'message_receive',
    data: {
      message_scene: 'friend',
      peer_id: 10002,
      message_seq: 1,
      sender_id: 10002,
      time: 1,
      segments: [{ type: 'x_hologram', data: { frames: 3 } }],
      friend: { user_id: 10002, nickname: 'n', sex: 'unknown', qid: '', remark: '', category: { category_id: 1, category_name: 'c' } },
    },
  });
  const broken = JSON.stringify({ time: 1, self_id: 5, event_type: 'bot_offline', data: { reason: 'x' } });

  test('lenient (the default): unknown types are ignored with a notification, unknown segments shown as text; broken events are reported', async () => {
    const host = sseServer([unknownType, unknownType, unknownSegment, broken, '{not json', JSON.stringify(nudge(1))]);
    await once(host, 'listening');
    const { logger, lines } = recordingLogger();
    const client = new MilkyClient({
      baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
      logger,
      events: { transport: 'sse' },
    });
    try {
      const unknown: string[] = [];
      const all: string[] = [];
      const messages: Array<EventOf<'message_receive'>> = [];
      const invalid: string[] = [];
      client.on('unknown', (event) => unknown.push(event.event_type));
      client.on('event', (event) => all.push(event.event_type));
      client.on('message_receive', (event) => messages.push(event));
      client.on('invalid', ({ error }) => invalid.push(error.message));
      const done = next(client, 'group_nudge');
      await client.connect();
      await done;
      expect(unknown).toEqual(['x_unknown_event', 'x_unknown_event']);
      expect(all).toEqual(['message_receive', 'group_nudge']);
      const [shown] = messages[0]?.data.segments ?? [];
      expect(shown).toEqual({
        type: 'text',
        data: { text: `[x_hologram: a message segment this app's Milky version (${milkyVersion}) does not support]` },
      });
      expect(shown && unsupportedSegment(shown)).toEqual({ type: 'x_hologram', data: { frames: 3 } });
      expect(invalid).toHaveLength(2);
      expect(invalid[0]).toBe('event: self_id: expected an integer from 10001 to 4294967295, got the number 5');
      expect(lines.filter((line) => line.message === 'event not taken')).toHaveLength(2);
      expect(
        lines
          .filter((line) => line.message.startsWith('an event of a type this version does not know'))
          .map((line) => line.fields?.event_type),
      ).toEqual(['x_unknown_event']);
    } finally {
      await client.disconnect();
      host.closeAllConnections();
      host.close();
    }
  });

  test('strict: unknown types and segments are invalid', async () => {
    const host = sseServer([unknownType, unknownSegment, JSON.stringify(nudge(1))]);
    await once(host, 'listening');
    const client = new MilkyClient({
      baseUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}`,
      validation: 'strict',
      logger: silent,
      events: { transport: 'sse' },
    });
    try {
      const invalid: string[] = [];
      client.on('invalid', ({ issues }) => invalid.push(issues[0]?.path ?? ''));
      const done = next(client, 'group_nudge');
      await client.connect();
      await done;
      expect(invalid).toEqual(['event_type', 'data.segments[0].type']);
    } finally {
      await client.disconnect();
      host.closeAllConnections();
      host.close();
    }
  });

  test('an iterator that falls behind skips its oldest events and says so', async () => {
    await using server = await startServer();
    const { logger, lines } = recordingLogger();
    await using client = new MilkyClient({ baseUrl: server.url, accessToken: token, logger });
    const iterator = client.events({ buffer: 2 });
    const pending = iterator.next();
    await client.connect();
    const last = next(client, 'bot_offline');
    for (let n = 1; n <= 5; n++) server.emit(nudge(n));
    server.emit({ time: 9, self_id: 10001, event_type: 'bot_offline', data: { reason: 'end' } } as Event);
    await last;
    const taken = [(await pending).value, (await iterator.next()).value, (await iterator.next()).value];
    expect(taken.map((event) => event?.time)).toEqual([1763900001, 1763900005, 9]);
    expect(lines.find((line) => line.message.startsWith('event iterator fell behind'))?.fields).toMatchObject({ buffer: 2 });
  });
});
