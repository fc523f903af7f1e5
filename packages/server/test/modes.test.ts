// The three ways to run: on its own server under a prefix, attached to an existing http.Server,
// and mounted as an express router (`@milky/server/express`, the one entry point that loads express).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { milkyRouter } from '../src/express.ts';
import { MilkyServer } from '../src/index.ts';
import { openSse, openWebSocket, webSocketStatus } from './clients.ts';
import { call, checkpoint, handlers, loginInfo, recordingLogger, request } from './helpers.ts';

const token = 'mode-token';
const event = { time: 1763900000, self_id: 10001, event_type: 'bot_offline', data: { reason: 'x' } } as const;

async function listening(server: http.Server): Promise<number & AsyncDisposable> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(port, {
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  }) as number & AsyncDisposable;
}

describe('its own server, under a prefix', () => {
  test('endpoints live under the prefix only', async () => {
    await using server = new MilkyServer({ port: 0, prefix: '/milky/', logger: recordingLogger().logger }).handleAll(handlers);
    const { port } = await server.listen();
    expect((await call(`http://127.0.0.1:${port}/milky`, 'get_login_info')).json()).toEqual({ status: 'ok', retcode: 0, data: loginInfo });
    expect((await call(`http://127.0.0.1:${port}`, 'get_login_info')).status).toBe(404);
    expect(await webSocketStatus(`ws://127.0.0.1:${port}/milky/event`)).toBe(101);
    expect(await webSocketStatus(`ws://127.0.0.1:${port}/event`)).toBe(404);
  });

  test('a prefix that is not a path is refused', () => {
    expect(() => new MilkyServer({ prefix: 'no spaces here' })).toThrow('prefix must be a URL path');
  });
});

describe('attached to an existing http.Server', () => {
  test("its own routes and upgrades keep working beside the server's", async () => {
    const host = http.createServer((_, response) => response.end('host page'));
    host.on('upgrade', (_, socket) => socket.end('HTTP/1.1 418 I am a teapot\r\ncontent-length: 0\r\n\r\n'));
    await using milky = new MilkyServer({ accessToken: token, logger: recordingLogger().logger })
      .handleAll(handlers)
      .attach(host, { prefix: '/milky' });
    await using port = await listening(host);
    const base = `http://127.0.0.1:${port}`;
    expect((await request(`${base}/elsewhere`, { method: 'GET' })).text).toBe('host page');
    expect(await webSocketStatus(`ws://127.0.0.1:${port}/other-socket`)).toBe(418);
    expect((await call(`${base}/milky`, 'get_login_info', {}, token)).json()).toMatchObject({ retcode: 0 });
    await using ws = await openWebSocket(`ws://127.0.0.1:${port}/milky/event?access_token=${token}`);
    milky.emit(event);
    await ws.waitFor(1);
    expect(ws.messages).toEqual([JSON.stringify(event)]);
  });

  test('Upgrade: h2c on a POST is served as a request there too (the upgrade fallback)', async () => {
    const host = http.createServer();
    await using milky = new MilkyServer({ accessToken: token, logger: recordingLogger().logger }).handleAll(handlers).attach(host);
    await using port = await listening(host);
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      connection: 'Upgrade, HTTP2-Settings',
      upgrade: 'h2c',
      'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA',
    };
    const answer = await request(`http://127.0.0.1:${port}/api/send_group_message`, {
      headers,
      body: JSON.stringify({ group_id: 123456, message: [{ type: 'text', data: { text: 'x'.repeat(5000) } }] }),
    });
    expect(answer.json()).toEqual({ status: 'ok', retcode: 0, data: { message_seq: 1, time: 1763900000 } });
    const bad = await request(`http://127.0.0.1:${port}/api/get_login_info`, { headers, body: '{' });
    expect(bad.json()).toMatchObject({ retcode: -400 });
    expect(milky.metrics().calls).toEqual({ send_group_message: { '0': 1 }, get_login_info: { '-400': 1 } });
  });

  test('while it shuts down, the host server is left open and requests get 503', async () => {
    const held = checkpoint();
    const host = http.createServer();
    const milky = new MilkyServer({ logger: recordingLogger().logger }).handleAll({
      ...handlers,
      get_cookies: async () => {
        await held.wait();
        return { cookies: 'a=b' };
      },
    });
    milky.attach(host);
    await using port = await listening(host);
    const base = `http://127.0.0.1:${port}`;
    const slow = call(base, 'get_cookies', { domain: 'qun.qq.com' });
    await held.arrived;
    const closing = milky.close();
    const refused = await call(base, 'get_login_info');
    expect([refused.status, refused.headers.connection]).toEqual([503, 'close']);
    expect((await request(`${base}/health`, { method: 'GET' })).json()).toEqual({ status: 'closing' });
    held.release();
    expect((await slow).json()).toMatchObject({ retcode: 0, data: { cookies: 'a=b' } });
    await closing;
  });
});

describe('as an express router', () => {
  test('mounted under a path, after a body parser, with WebSocket through attach', async () => {
    const app = express();
    app.get('/', (_, response) => {
      response.send('home');
    });
    app.use(express.json());
    const milky = new MilkyServer({ accessToken: token, logger: recordingLogger().logger }).handleAll(handlers);
    app.use('/milky', milkyRouter(milky));
    const host = http.createServer(app);
    milky.attach(host, { prefix: '/milky', requests: false });
    await using port = await listening(host);
    await using _closing = milky;
    const base = `http://127.0.0.1:${port}`;
    expect((await request(base, { method: 'GET' })).text).toBe('home');
    expect((await call(`${base}/milky`, 'get_login_info', {}, token)).json()).toEqual({ status: 'ok', retcode: 0, data: loginInfo });
    expect((await call(`${base}/milky`, 'send_group_message', { group_id: 5 }, token)).json()).toMatchObject({ retcode: -400 });
    expect((await call(`${base}/milky`, 'get_login_info', {}, 'wrong')).status).toBe(401);
    await using ws = await openWebSocket(`ws://127.0.0.1:${port}/milky/event`, { authorization: `Bearer ${token}` });
    await using sse = await openSse(`${base}/milky/event?access_token=${token}`);
    milky.emit(event);
    await Promise.all([ws.waitFor(1), sse.waitFor(1)]);
    expect([ws.messages[0], sse.events[0]?.data]).toEqual([JSON.stringify(event), JSON.stringify(event)]);
  });
});

describe('express is an adapter', () => {
  /** The bare packages a module of this package loads, directly or through its imports, as Node.js runs it. */
  async function packagesLoadedBy(entry: string): Promise<string[]> {
    const fromSource = new URL('../../../scripts/run-from-src.mjs', import.meta.url).href;
    const script = `
      import { registerHooks } from 'node:module';
      const seen = new Set();
      registerHooks({ resolve(specifier, context, next) { if (/^[a-z@]/.test(specifier) && !specifier.startsWith('node:')) seen.add(specifier); return next(specifier, context); } });
      await import(${JSON.stringify(new URL(entry, import.meta.url).href)});
      console.log(JSON.stringify([...seen].sort()));`;
    const child = spawn(process.execPath, ['--no-warnings', '--import', fromSource, '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(0);
    return JSON.parse(out) as string[];
  }

  test('the root entry point loads no express; @milky/server/express does', async () => {
    expect(await packagesLoadedBy('../src/index.ts')).not.toContain('express');
    expect(await packagesLoadedBy('../src/express.ts')).toContain('express');
  });
});
