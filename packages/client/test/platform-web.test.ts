// What the client uses where there is no Node.js (package.json `imports` maps `#platform` to
// src/platform/web.ts for the `browser` condition), run here on Node.js's own WebSocket and fetch:
// the same code a browser runs, against a real @milky/server. The browser itself is covered by
// @milky/reference-server's client-browser test in Chromium.

import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MilkyServer } from '@milky/server';
import { milkyRouter } from '@milky/server/express';
import type { EventOf } from '@milky/types';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { EventEmitter } from '../src/events/event-emitter.ts';
import type { WebSocketOptions } from '../src/events/transports.ts';
import { MilkyHttpError, MilkyNetworkError, MilkyUnauthorizedError } from '../src/index.ts';
import { base64, fileUrl, openWebSocket } from '../src/platform/web.ts';
import { silent } from './helpers.ts';

const token = 'web-token';
const nudge: EventOf<'group_nudge'> = {
  time: 1763900000,
  self_id: 10001,
  event_type: 'group_nudge',
  data: { group_id: 123456, sender_id: 10002, receiver_id: 10001, display_action: 'poked', display_suffix: '', display_action_img_url: '' },
};

function options(url: string, onMessage: (raw: string) => void, accessToken = token): WebSocketOptions {
  return {
    url: new URL('event', url.replace(/^http/, 'ws')),
    headers: { authorization: `Bearer ${accessToken}` },
    handshakeTimeout: 5000,
    pingInterval: 30_000,
    pongTimeout: 10_000,
    fetch: (input, init) => fetch(input, init),
    onMessage,
  };
}

describe("the runtime's own WebSocket", () => {
  test('sends the token as ?access_token=, receives events, and says when the server closes', async () => {
    const server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
    const { port } = await server.listen();
    const received: string[] = [];
    let resolve = () => {};
    const arrived = new Promise<void>((done) => {
      resolve = done;
    });
    const session = await openWebSocket(
      options(`http://127.0.0.1:${port}/`, (raw) => {
        received.push(raw);
        resolve();
      }),
    );
    server.emit(nudge);
    await arrived;
    expect(received.map((raw) => JSON.parse(raw))).toEqual([nudge]);
    await server.close({ deadline: 0 });
    const ended = await session.ended;
    expect(ended).toBeInstanceOf(MilkyNetworkError);
    expect(ended?.message).toContain('the server closed the WebSocket (1001');
  });

  test('a wrong token is told apart from a missing WebSocket by a plain GET: 401 ends, anything else falls back', async () => {
    const server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
    const { port } = await server.listen();
    try {
      const refused = await openWebSocket(options(`http://127.0.0.1:${port}/`, () => {}, 'wrong')).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(MilkyUnauthorizedError);
    } finally {
      await server.close({ deadline: 0 });
    }
    // A server with SSE only: the WebSocket handshake fails, the GET answers, `auto` may fall back.
    const app = express();
    const milky = new MilkyServer({ logger: silent });
    app.use(milkyRouter(milky));
    const host = http.createServer(app);
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    try {
      const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
      const missing = await openWebSocket(options(url, () => {})).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(MilkyHttpError);
      expect(missing).not.toBeInstanceOf(MilkyUnauthorizedError);
    } finally {
      await milky.close({ deadline: 0 });
      host.closeAllConnections();
      host.close();
    }
  });

  test('nothing listening is a network error', async () => {
    const host = http.createServer();
    host.listen(0, '127.0.0.1');
    await once(host, 'listening');
    const { port } = host.address() as AddressInfo;
    host.close();
    await once(host, 'close');
    const error = await openWebSocket(options(`http://127.0.0.1:${port}/`, () => {})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MilkyNetworkError);
  });
});

describe('the portable helpers', () => {
  test('base64 matches Buffer, for bytes of every value and for more than one chunk', () => {
    const bytes = new Uint8Array(70_000).map((_, index) => (index * 7) % 256);
    expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64(bytes.subarray(3, 10))).toBe(Buffer.from(bytes.subarray(3, 10)).toString('base64'));
  });

  test('absolute paths become file URLs; relative ones are refused, naming what to pass instead', () => {
    expect(fileUrl('/srv/media/a cat#1.png')).toBe('file:///srv/media/a%20cat%231.png');
    expect(() => fileUrl('cat.png')).toThrow(/"cat\.png": outside Node\.js only absolute paths are taken; pass the bytes, a URL/);
  });

  test('the emitter: listeners in order, once removed before it runs, off removes the latest registration', () => {
    const emitter = new EventEmitter<{ ping: [n: number] }>();
    const calls: string[] = [];
    const twice = (n: number) => calls.push(`twice ${n}`);
    emitter.on('ping', twice);
    emitter.once('ping', (n) => {
      calls.push(`once ${n}`);
      emitter.emit('ping', n + 10);
    });
    emitter.on('ping', twice);
    expect(emitter.listenerCount('ping')).toBe(3);
    expect(emitter.emit('ping', 1)).toBe(true);
    expect(calls).toEqual(['twice 1', 'once 1', 'twice 11', 'twice 11', 'twice 1']);
    emitter.off('ping', twice);
    expect(emitter.listenerCount('ping')).toBe(1);
    emitter.removeAllListeners();
    expect(emitter.emit('ping', 2)).toBe(false);
  });

  test("node:events' once() works with it", async () => {
    const emitter = new EventEmitter<{ ready: [value: string] }>();
    const ready = once(emitter as never, 'ready');
    emitter.emit('ready', 'yes');
    expect(await ready).toEqual(['yes']);
    expect(emitter.listenerCount('ready')).toBe(0);
  });
});
