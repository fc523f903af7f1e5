// What a hostile client can try, each bounded: the attacker is refused or dropped, and a
// well-behaved app is still served meanwhile. The timeouts are small here so that every attack
// ends within moments; the defaults are what a production server would use.

import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { Event } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { resolveConnectionLimits, type ServerOptions } from '../src/index.ts';
import { closedSocket, openSse, openWebSocket, type WsClient } from './clients.ts';
import { call, loginInfo, startServer } from './helpers.ts';

const token = 'abuse-token';

const quick: ServerOptions = {
  accessToken: token,
  headersTimeout: 300,
  requestTimeout: 600,
  keepAliveTimeout: 200,
  idleTimeout: 1000,
  sseKeepAliveInterval: 100,
};

/** A raw connection to the server, with whatever it is sent. */
async function connect(port: number, send = ''): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.resume(); // reads whatever comes, so that the end of the connection is seen
  await once(socket, 'connect');
  if (send) socket.write(send);
  return socket;
}

/** The app a hostile client must not lock out: one API call, answered. */
async function served(base: string): Promise<void> {
  const answer = await call(base, 'get_login_info', {}, token);
  expect(answer.json()).toMatchObject({ status: 'ok', data: loginInfo });
}

const text = (n: number, size: number): Event => ({
  time: 1763900000 + n,
  self_id: 10001,
  event_type: 'message_receive',
  data: {
    message_scene: 'friend',
    peer_id: 10002,
    message_seq: n,
    sender_id: 10002,
    time: 1763900000 + n,
    segments: [{ type: 'text', data: { text: 'x'.repeat(size) } }],
    friend: {
      user_id: 10002,
      nickname: 'Alice',
      sex: 'female',
      qid: '',
      remark: '',
      category: { category_id: 0, category_name: 'Friends' },
    },
  },
});

describe('connections', () => {
  test('connections that send nothing, or half a request, are closed; an app is served meanwhile', async () => {
    await using t = await startServer(quick);
    const idle = await Promise.all(Array.from({ length: 50 }, () => connect(t.port)));
    const halfLine = await Promise.all(Array.from({ length: 10 }, () => connect(t.port, 'POST /api/get_login_in')));
    const halfHeaders = await connect(t.port, 'POST /api/get_login_info HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await served(t.base);
    await Promise.all([...idle, ...halfLine, halfHeaders].map(closedSocket));
    await served(t.base);
  });

  test('a body that never finishes is cut off by the request timeout', async () => {
    await using t = await startServer(quick);
    const trickle = await connect(
      t.port,
      `POST /api/get_login_info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const answer = new Promise<string>((resolve) => {
      let received = '';
      trickle.on('data', (chunk: Buffer) => (received += chunk));
      trickle.on('close', () => resolve(received));
    });
    // A byte now and then keeps the socket from idling, not the request from timing out.
    const drip = setInterval(() => trickle.write(' '), 50);
    try {
      await served(t.base);
      expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  test('a kept-alive connection left idle is closed', async () => {
    await using t = await startServer({ ...quick, idleTimeout: 60_000 });
    const socket = await connect(
      t.port,
      `POST /api/get_login_info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk));
    await closedSocket(socket);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
  });

  test('over the connection cap, connections are refused and logged; once the idle ones are reaped, apps are served', async () => {
    // Holders live for a second: long enough for the one over the cap to come while they are all there.
    await using t = await startServer({ ...quick, headersTimeout: 1000, requestTimeout: 2000, idleTimeout: 3000, maxConnections: 4 });
    const holders = await Promise.all(Array.from({ length: 4 }, () => connect(t.port)));
    const refused = await connect(t.port);
    await closedSocket(refused);
    const logged = await t.waitForLog(/^connection refused: the server is at its connection limit/);
    expect(logged.fields).toMatchObject({ limit: 4 });
    expect(t.server.metrics().refusedConnections).toBeGreaterThanOrEqual(1);
    await Promise.all(holders.map(closedSocket));
    await served(t.base);
  });

  test('connections not yet admitted are capped per address: a flood from one leaves room for other addresses and admitted clients', async () => {
    const limits = { headersTimeout: 10_000, requestTimeout: 20_000, keepAliveTimeout: 10_000, idleTimeout: 30_000 };
    await using t = await startServer({ ...quick, ...limits, maxConnections: 14, maxPendingPerAddress: 4 });
    // Admitted before the flood, from the same address and more than the cap: six event streams, three kept-alive callers.
    const streams: WsClient[] = [];
    for (let n = 0; n < 6; n++) streams.push(await openWebSocket(`ws://127.0.0.1:${t.port}/event`, { authorization: `Bearer ${token}` }));
    const callers = Array.from({ length: 3 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    for (const agent of callers) expect((await call(t.base, 'get_login_info', {}, token, {}, { agent })).status).toBe(200);
    // The flood: eight connections that send nothing. Accepted in order, the first four are held and the rest refused.
    const flood: net.Socket[] = [];
    for (let n = 0; n < 8; n++) flood.push(await connect(t.port));
    await Promise.all(flood.slice(4).map(closedSocket));
    const logged = await t.waitForLog(/^connection refused: its address has as many connections not yet admitted/);
    expect(logged.fields).toMatchObject({ remote: '127.0.0.1', limit: 4 });
    expect(t.server.metrics()).toMatchObject({ refusedPendingConnections: 4, refusedConnections: 0 });
    expect(flood.slice(0, 4).every((socket) => !socket.destroyed)).toBe(true);
    // Another address is served (without the cap, the flood would have taken every slot left).
    const other = await call(t.base, 'get_login_info', {}, token, {}, { localAddress: '127.0.0.2' });
    expect(other.json()).toMatchObject({ status: 'ok', data: loginInfo });
    // The admitted clients go on: each stream gets the event, each caller calls again on its connection.
    t.server.emit(text(1, 10));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    for (const agent of callers) {
      const again = await call(t.base, 'get_login_info', {}, token, {}, { agent });
      expect({ status: again.status, reusedSocket: again.reusedSocket }).toEqual({ status: 200, reusedSocket: true });
      agent.destroy();
    }
    await Promise.all(streams.map((stream) => stream[Symbol.asyncDispose]()));
    for (const socket of flood) socket.destroy();
  });

  test('maxPendingPerAddress is at most maxConnections, and follows it down by default', async () => {
    await expect(startServer({ maxConnections: 10, maxPendingPerAddress: 11 })).rejects.toThrow(
      'maxPendingPerAddress (11) must not be larger than maxConnections (10)',
    );
    await expect(startServer({ maxPendingPerAddress: 0 })).rejects.toThrow('maxPendingPerAddress must be a positive integer, got 0');
    expect(resolveConnectionLimits({ maxConnections: 10 }).maxPendingPerAddress).toBe(10);
    expect(resolveConnectionLimits({}).maxPendingPerAddress).toBe(128);
  });

  test('event streams outlive the idle timeout: SSE by its keep-alives, WebSocket by its heartbeat', async () => {
    // An idle timeout well above the keep-alive interval: a keep-alive is written when the loop turns
    // after its timer, so a loaded machine's stall longer than the gap between them would be taken
    // for idleness.
    await using t = await startServer({ ...quick, idleTimeout: 2500 });
    await using ws = await openWebSocket(`ws://127.0.0.1:${t.port}/event`, { authorization: `Bearer ${token}` });
    await using sse = await openSse(`${t.base}/event?access_token=${token}`);
    // Forty keep-alives at 100 ms span more than one and a half 2500 ms idle timeouts.
    await Promise.race([
      sse.waitForLines(/^: keep-alive$/, 40),
      sse.ended.then(() => {
        throw new Error('the SSE stream ended before forty keep-alives');
      }),
    ]);
    t.server.emit(text(1, 10));
    await ws.waitFor(1);
    await sse.waitFor(1);
    expect(t.server.metrics().clients).toEqual({ websocket: 1, sse: 1 });
  });

  test('an SSE stream outlives an event-loop stall longer than the gap between keep-alive and idle timeout', async () => {
    await using t = await startServer(quick);
    await using sse = await openSse(`${t.base}/event?access_token=${token}`);
    await sse.waitForLines(/^: keep-alive$/, 1);
    // The stall under test: the keep-alive and the 1000 ms idle timer both come due in the turn after it.
    const until = Date.now() + 1500;
    while (Date.now() < until) {}
    await Promise.race([
      sse.waitForLines(/^: keep-alive$/, 5),
      sse.ended.then(() => {
        throw new Error('the SSE stream was closed as idle after the stall');
      }),
    ]);
    t.server.emit(text(1, 10));
    await sse.waitFor(1);
  });

  test('limits are checked when the server is made', async () => {
    await expect(startServer({ headersTimeout: 0 })).rejects.toThrow('headersTimeout must be a positive integer, got 0');
    await expect(startServer({ idleTimeout: 100, sseKeepAliveInterval: 200 })).rejects.toThrow(
      /sseKeepAliveInterval \(200\) must be shorter/,
    );
  });
});

describe('bodies', () => {
  test('a declared Content-Length over the limit gets 413 before any of the body is read', async () => {
    await using t = await startServer({ ...quick, bodyLimit: 1024 });
    const socket = await connect(
      t.port,
      `POST /api/get_login_info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n`,
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk));
    await closedSocket(socket);
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(socket.bytesWritten).toBeLessThan(1024);
    await served(t.base);
  });

  test('a chunked body is cut off at the limit with 413', async () => {
    await using t = await startServer({ ...quick, bodyLimit: 1024 });
    const socket = await connect(
      t.port,
      `POST /api/get_login_info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk));
    const chunk = `400\r\n${' '.repeat(1024)}\r\n`;
    const flood = setInterval(() => socket.writable && socket.write(chunk), 5);
    try {
      await closedSocket(socket);
    } finally {
      clearInterval(flood);
    }
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    await served(t.base);
  });
});

describe('events', () => {
  test('an event over maxEventBytes is refused, counted and logged; the clients keep receiving', async () => {
    await using t = await startServer({ ...quick, maxEventBytes: 4096 });
    await using ws = await openWebSocket(`ws://127.0.0.1:${t.port}/event`, { authorization: `Bearer ${token}` });
    expect(() => t.server.emit(text(1, 8192))).toThrow('the message_receive event is');
    expect(() => t.server.emit(text(1, 8192))).toThrow('more than the 4096-byte limit (maxEventBytes)');
    expect(t.server.metrics().refusedEvents).toEqual({ message_receive: 2 });
    expect(t.logs.some((line) => line.level === 'error' && line.message.includes('4096-byte limit'))).toBe(true);
    t.server.emit(text(2, 100));
    await ws.waitFor(1);
    expect(JSON.parse(String(ws.messages[0])).data.message_seq).toBe(2);
  });

  test('a reading client is not dropped for events of the largest size', async () => {
    const size = 256 * 1024;
    await using t = await startServer({ ...quick, clientBufferLimit: size, maxEventBytes: size });
    await using ws = await openWebSocket(`ws://127.0.0.1:${t.port}/event`, { authorization: `Bearer ${token}` });
    for (let n = 1; n <= 20; n++) {
      t.server.emit(text(n, size - 1024));
      await ws.waitFor(n);
    }
    expect(t.server.metrics().dropped.websocket.slow).toBe(0);
  });

  test('the SSE replay buffer is bounded in bytes: what fell out is said', async () => {
    const size = 10_000;
    await using t = await startServer({ ...quick, sseReplayBytes: 3 * size + 1000 });
    const first = await openSse(`${t.base}/event?access_token=${token}`);
    t.server.emit(text(1, 10));
    await first.waitFor(1);
    await first[Symbol.asyncDispose]();
    for (let n = 2; n <= 11; n++) t.server.emit(text(n, size));
    await using again = await openSse(`${t.base}/event?access_token=${token}`, { 'last-event-id': first.events[0]?.id as string });
    await again.waitForLine(/events are too old to be replayed/);
    t.server.emit(text(12, 10));
    await again.waitFor(3);
    const replayed = again.events.map((event) => JSON.parse(event.data).data.message_seq);
    expect(replayed.at(-1)).toBe(12);
    expect(replayed.length).toBeLessThanOrEqual(4);
    expect(again.lines).toContain(`: ${11 - replayed.length} events are too old to be replayed`);
  });
});
