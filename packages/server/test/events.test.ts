// /event over WebSocket and SSE, emit() fan-out, slow and dead clients, replay, CORS, health, shutdown.

import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import type { Event, EventOf } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { MilkyServer } from '../src/index.ts';
import { openSse, openWebSocket, stalledSse, stalledWebSocket, webSocketStatus } from './clients.ts';
import { call, checkpoint, request, startServer } from './helpers.ts';

const token = 'event-token';
const offline = (n: number): EventOf<'bot_offline'> => ({
  time: 1763900000 + n,
  self_id: 10001,
  event_type: 'bot_offline',
  data: { reason: `reason ${n}` },
});

describe('tokens on /event', () => {
  test('WebSocket: header or query token; a missing or wrong one is 401 before any upgrade', async () => {
    await using t = await startServer({ accessToken: token });
    const url = `ws://127.0.0.1:${t.port}/event`;
    expect(await webSocketStatus(url, { authorization: `Bearer ${token}` })).toBe(101);
    expect(await webSocketStatus(`${url}?access_token=${token}`)).toBe(101);
    expect(await webSocketStatus(url)).toBe(401);
    expect(await webSocketStatus(`${url}?access_token=wrong`)).toBe(401);
    expect(await webSocketStatus(url, { authorization: 'Bearer wrong' })).toBe(401);
    expect(t.server.metrics().rejected).toEqual({ '401': 3 });
  });

  test('an upgrade is admitted as a plain request is: the same answers, counted the same way', async () => {
    await using t = await startServer({ accessToken: token });
    const auth = { authorization: `Bearer ${token}` };
    expect(await webSocketStatus(`ws://127.0.0.1:${t.port}/elsewhere`, auth)).toBe(404);
    expect(await webSocketStatus(`ws://127.0.0.1:${t.port}/event`)).toBe(401);
    expect((await request(`${t.base}/event`, { method: 'GET' })).status).toBe(401);
    expect(t.server.metrics().rejected).toEqual({ '401': 2, '404': 1 });
  });

  test('SSE: header or query token; a missing or wrong one is 401', async () => {
    await using t = await startServer({ accessToken: token });
    await using header = await openSse(`${t.base}/event`, { authorization: `Bearer ${token}` });
    await using query = await openSse(`${t.base}/event?access_token=${encodeURIComponent(token)}`);
    expect([header.status, query.status]).toEqual([200, 200]);
    expect(header.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect((await request(`${t.base}/event`, { method: 'GET' })).status).toBe(401);
    expect((await request(`${t.base}/event?access_token=wrong`, { method: 'GET' })).status).toBe(401);
  });

  test('only GET /event with Upgrade: websocket upgrades', async () => {
    await using t = await startServer();
    expect(await webSocketStatus(`ws://127.0.0.1:${t.port}/api/get_login_info`)).toBe(404);
    expect(await webSocketStatus(`ws://127.0.0.1:${t.port}/elsewhere`)).toBe(404);
    expect((await request(`${t.base}/event`, { method: 'POST', body: '{}' })).headers.allow).toBe('GET');
  });
});

describe('emit()', () => {
  test('without a logger of its own, the server warns on stderr under its own name', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => warnings.push(line);
    try {
      const server = new MilkyServer();
      await server.close();
      server.emit(offline(1));
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual(['[milky:server] event emitted after close, not sent {"event_type":"bot_offline","discarded":1}']);
  });

  test('every WebSocket and SSE client gets the event; WebSocket frames hold exactly its JSON', async () => {
    await using t = await startServer();
    await using first = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    await using second = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    await using sse = await openSse(`${t.base}/event`);
    const events = [offline(1), offline(2), offline(3)];
    for (const event of events) t.server.emit(event);
    await Promise.all([first.waitFor(3), second.waitFor(3), sse.waitFor(3)]);
    const expected = events.map((event) => JSON.stringify(event));
    expect(first.messages).toEqual(expected);
    expect(second.messages).toEqual(expected);
    expect(sse.events.map((event) => event.data)).toEqual(expected);
    expect(sse.events.every((event) => event.event === 'milky_event')).toBe(true);
    expect(sse.lines[0]).toBe('retry: 3000');
    expect(t.server.metrics().events).toEqual({ bot_offline: 3 });
    expect(t.server.metrics().clients).toEqual({ websocket: 2, sse: 1 });
  });

  test('an event that breaks the protocol throws, naming the field, and is sent to no one', async () => {
    await using t = await startServer();
    await using client = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    const bad = { ...offline(1), self_id: 42 } as Event;
    expect(() => t.server.emit(bad)).toThrow('event: self_id: expected an integer from 10001 to 4294967295, got the number 42');
    t.server.emit(offline(2));
    await client.waitFor(1);
    expect(client.messages).toEqual([JSON.stringify(offline(2))]);
  });

  test('WebHooks get the same bytes, with the access token', async () => {
    const received: Array<{ body: string; authorization: string | undefined }> = [];
    let arrived!: () => void;
    const delivered = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const receiver = http.createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString(), authorization: incoming.headers.authorization });
        response.writeHead(204).end();
        arrived();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await using t = await startServer({ accessToken: token, webhook: [url] });
      await using client = await openWebSocket(`ws://127.0.0.1:${t.port}/event`, { authorization: `Bearer ${token}` });
      t.server.emit(offline(1));
      await Promise.all([delivered, client.waitFor(1)]);
      expect(received).toEqual([{ body: client.messages[0], authorization: `Bearer ${token}` }]);
      await t.server.close();
      expect(t.server.metrics().webhooks[0]).toMatchObject({ delivered: 1, backlog: 0 });
    } finally {
      receiver.close();
    }
  });
});

describe('clients that cannot keep up, and dead peers', () => {
  const big = (n: number): Event => ({ ...offline(n), data: { reason: `${n} ${'x'.repeat(32 * 1024)}` } });

  /** Emits big events in bursts until `done()` or the bound, letting the loop turn between bursts. */
  async function flood(emit: (event: Event) => void, done: () => boolean): Promise<number> {
    let sent = 0;
    while (!done() && sent < 4000) {
      for (let i = 0; i < 8; i++) emit(big(sent++));
      await turn();
    }
    return sent;
  }

  test('a slow WebSocket client is disconnected with 1008 and a log line; the others keep receiving', async () => {
    await using t = await startServer({ clientBufferLimit: 256 * 1024 });
    await using fast = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    await using slow = await stalledWebSocket(t.port, '/event');
    const sent = await flood(
      (event) => t.server.emit(event),
      () => t.server.metrics().dropped.websocket.slow > 0,
    );
    expect(t.server.metrics().dropped.websocket.slow).toBe(1);
    const logged = await t.waitForLog(/^WebSocket client too slow/);
    expect(logged.fields).toMatchObject({ limit: 256 * 1024 });
    expect(logged.message).toContain('1008');
    await fast.waitFor(sent);
    expect(fast.messages).toHaveLength(sent);
    expect(t.server.metrics().clients.websocket).toBe(1);
    expect(slow.destroyed).toBe(false);
  });

  test('a slow SSE client is disconnected; the others keep receiving', async () => {
    await using t = await startServer({ clientBufferLimit: 256 * 1024 });
    await using fast = await openSse(`${t.base}/event`);
    await using slow = await stalledSse(t.port, '/event');
    const sent = await flood(
      (event) => t.server.emit(event),
      () => t.server.metrics().dropped.sse.slow > 0,
    );
    expect(t.server.metrics().dropped.sse.slow).toBe(1);
    await t.waitForLog(/^SSE client too slow/);
    await fast.waitFor(sent);
    expect(fast.events).toHaveLength(sent);
    expect(t.server.metrics().clients.sse).toBe(1);
    expect(slow.destroyed).toBe(false);
  });

  test('a dead WebSocket peer is dropped by the heartbeat; a live one stays', async () => {
    // The live peer answers from this same process: an interval well above a loaded machine's
    // event-loop stalls keeps its pong from being judged late.
    await using t = await startServer({ heartbeatInterval: 250 });
    await using live = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    await using dead = await stalledWebSocket(t.port, '/event');
    expect(dead.destroyed).toBe(false);
    await t.waitForLog(/^WebSocket client did not answer the heartbeat/);
    expect(t.server.metrics().dropped.websocket).toEqual({ slow: 0, heartbeat: 1 });
    t.server.emit(offline(1));
    await live.waitFor(1);
    expect(t.server.metrics().clients.websocket).toBe(1);
  });
});

describe('SSE', () => {
  test('a client that reconnects with Last-Event-ID gets what it missed, in order, then what comes', async () => {
    await using t = await startServer();
    const first = await openSse(`${t.base}/event`);
    for (const n of [1, 2, 3]) t.server.emit(offline(n));
    await first.waitFor(3);
    const lastId = first.events[2]?.id as string;
    expect(lastId).toMatch(/^[0-9a-z]+-3$/);
    await first[Symbol.asyncDispose]();
    for (const n of [4, 5, 6]) t.server.emit(offline(n));
    await using again = await openSse(`${t.base}/event`, { 'last-event-id': lastId });
    await again.waitFor(3);
    t.server.emit(offline(7));
    await again.waitFor(4);
    expect(again.events.map((event) => JSON.parse(event.data).time - 1763900000)).toEqual([4, 5, 6, 7]);
    // Events 4 to 6 were sent while no client was connected: their messages, ids included, are made at the replay.
    expect(again.events.map((event) => event.id)).toEqual([4, 5, 6, 7].map((n) => lastId.replace(/-3$/, `-${n}`)));
  });

  test('what fell out of the replay buffer is said, not silently skipped', async () => {
    await using t = await startServer({ sseReplay: 2 });
    const first = await openSse(`${t.base}/event`);
    t.server.emit(offline(1));
    await first.waitFor(1);
    await first[Symbol.asyncDispose]();
    for (const n of [2, 3, 4, 5]) t.server.emit(offline(n));
    await using again = await openSse(`${t.base}/event`, { 'last-event-id': first.events[0]?.id as string });
    await again.waitFor(2);
    expect(again.lines).toContain(': 2 events are too old to be replayed');
    expect(again.events.map((event) => JSON.parse(event.data).time - 1763900000)).toEqual([4, 5]);
    expect(t.logs.some((line) => line.message === 'SSE client resumed too late to replay everything')).toBe(true);
  });

  test('events sent before the first SSE client of the run connected are not kept: no client can resume from them', async () => {
    await using t = await startServer();
    for (const n of [1, 2, 3]) t.server.emit(offline(n));
    const first = await openSse(`${t.base}/event`);
    t.server.emit(offline(4));
    await first.waitFor(1);
    const id = first.events[0]?.id as string;
    expect(id).toMatch(/-4$/);
    await first[Symbol.asyncDispose]();
    t.server.emit(offline(5));
    // A resume from before event 4 (as from an id of event 1): 2 and 3 were never kept, and it is said.
    await using again = await openSse(`${t.base}/event`, { 'last-event-id': id.replace(/-4$/, '-1') });
    await again.waitFor(2);
    expect(again.lines).toContain(': 2 events are too old to be replayed');
    expect(again.events.map((event) => JSON.parse(event.data).time - 1763900000)).toEqual([4, 5]);
  });

  test('an id from another run of the server is not replayed', async () => {
    await using t = await startServer();
    t.server.emit(offline(1));
    await using client = await openSse(`${t.base}/event`, { 'last-event-id': 'abc-1' });
    await client.waitForLine(/cannot be replayed/);
    t.server.emit(offline(2));
    await client.waitFor(1);
    expect(client.events.map((event) => JSON.parse(event.data).time - 1763900000)).toEqual([2]);
  });

  test('an HTTP/1.0 client gets the stream unchunked, delimited by the connection', async () => {
    await using t = await startServer();
    const socket = net.connect(t.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /event HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n');
    let text = '';
    socket.setEncoding('utf8');
    const arrived = new Promise<void>((resolve) =>
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('"reason 1"}}\n\n')) resolve();
      }),
    );
    while (!text.includes('retry: 3000')) await new Promise((resolve) => socket.once('data', resolve));
    t.server.emit(offline(1));
    await arrived;
    socket.destroy();
    const [head, body] = text.split('\r\n\r\n');
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(body).toBe(`retry: 3000\n\nid: ${body?.match(/id: (\S+)/)?.[1]}\nevent: milky_event\ndata: ${JSON.stringify(offline(1))}\n\n`);
  });

  test('keep-alive comments flow while no event does', async () => {
    await using t = await startServer({ sseKeepAliveInterval: 20 });
    await using client = await openSse(`${t.base}/event`);
    expect(await client.waitForLine(/^: keep-alive$/)).toBe(': keep-alive');
  });
});

describe('CORS and health', () => {
  test('a preflight from an allowed origin is answered without a token; others get no CORS headers', async () => {
    await using t = await startServer({ accessToken: token, cors: ['https://console.example'] });
    const preflight = await request(`${t.base}/api/get_login_info`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://console.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://console.example');
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    const allowed = await call(t.base, 'get_login_info', {}, token, { origin: 'https://console.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example');
    const refused = await call(t.base, 'get_login_info', {}, undefined, { origin: 'https://console.example' });
    expect([refused.status, refused.headers['access-control-allow-origin']]).toEqual([401, 'https://console.example']);
    const other = await call(t.base, 'get_login_info', {}, token, { origin: 'https://evil.example' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('health needs no token and tells whether the bot is logged in', async () => {
    await using t = await startServer({ accessToken: token });
    expect((await request(`${t.base}/health`, { method: 'GET' })).json()).toEqual({ status: 'ok' });
    t.server.setLoggedIn(false);
    expect((await request(`${t.base}/health`, { method: 'GET' })).json()).toEqual({ status: 'not_logged_in' });
  });
});

describe('shutdown', () => {
  test('new connections are refused, calls in flight finish, WebSockets close with 1001, SSE streams end', async () => {
    const held = checkpoint();
    await using t = await startServer(
      {},
      {
        get_cookies: async () => {
          await held.wait();
          return { cookies: 'a=b' };
        },
      },
    );
    await using ws = await openWebSocket(`ws://127.0.0.1:${t.port}/event`);
    await using sse = await openSse(`${t.base}/event`);
    const slowCall = call(t.base, 'get_cookies', { domain: 'qun.qq.com' });
    await held.arrived;
    const closing = t.server.close({ deadline: 10_000 });
    await expect(call(t.base, 'get_login_info')).rejects.toThrow('ECONNREFUSED');
    held.release();
    expect((await slowCall).json()).toMatchObject({ retcode: 0 });
    expect(await closing).toEqual({ abortedCalls: 0, webhook: undefined });
    expect(await ws.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    await sse.ended;
  });

  test('at the deadline, calls still running are aborted and reported', async () => {
    const held = checkpoint();
    let reason: unknown;
    await using t = await startServer(
      {},
      {
        get_group_info: (_, { signal }) => {
          void held.wait();
          return new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              reject(signal.reason);
            }),
          );
        },
      },
    );
    const slowCall = call(t.base, 'get_group_info', { group_id: 123456 });
    await held.arrived;
    expect(await t.server.close({ deadline: 50 })).toMatchObject({ abortedCalls: 1 });
    expect(String(reason)).toContain('shutting down');
    await slowCall.catch(() => undefined);
  });
});
