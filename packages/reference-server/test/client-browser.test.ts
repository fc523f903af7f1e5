// @milky/client in headless Chromium (Debian's package, which `npm test` installs), bundled for the
// browser as an app's bundler would, in a page of its own origin, against the reference server
// (which allows that origin by CORS): typed calls, events over the browser's WebSocket and over
// SSE, reconnection, and a wrong token.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MilkyClient } from '@milky/client';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bundleForBrowser } from '../../../scripts/browser-bundle.ts';
import { chromiumOptions } from '../../../scripts/chromium.ts';
import { start, token } from './helpers.ts';

let browser: Browser;
let clientModule: string;

/** What the test page keeps on its window: the bundled module, and what the clients saw. */
interface TestWindow {
  milky: typeof import('@milky/client');
  clients: Record<string, MilkyClient>;
  seen: Record<string, string[]>;
}
/**
 * The page's window, typed. The functions given to page.evaluate run in the page, where the page
 * defines a global `testWindow` of its own; this one gives them their types.
 */
const testWindow = () => globalThis as unknown as TestWindow;

beforeAll(async () => {
  const bundle = await bundleForBrowser();
  clientModule = bundle.code;
  // What keeps Node.js-only code out of the browser: nothing left to import, none of ws, node:, or the WebHook receiver.
  expect(bundle.external).toEqual([]);
  expect(bundle.modules.filter((id) => /node:|\/ws\/|websocket-ws|platform\/node|webhook\.ts/.test(id))).toEqual([]);
  browser = await chromium.launch(chromiumOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * A browser app on an origin of its own (a static server on another loopback port) that loads the
 * bundled client; the reference server allows it by CORS, as a real app's server would.
 */
async function openApp(): Promise<{ origin: string; page: Page; problems: string[]; [Symbol.asyncDispose](): Promise<void> }> {
  const app = createServer((request, response) => {
    if (request.url === '/client.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(clientModule);
    else
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script type="module">
        import * as milky from './client.js';
        Object.assign(window, { milky, clients: {}, seen: {}, testWindow: () => window });
        document.title = 'ready';
      </script>`);
  });
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  const origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${origin}/`);
  await page.waitForFunction("document.title === 'ready'");
  return {
    origin,
    page,
    problems,
    async [Symbol.asyncDispose]() {
      await page.close();
      app.closeAllConnections();
      await new Promise((resolve) => app.close(resolve));
    },
  };
}

/** Makes a client in the page that records its notifications under `seen[name]`. */
function makeClient(page: Page, name: string, options: { url: string; token: string; transport: 'websocket' | 'sse' | 'auto' }) {
  return page.evaluate(
    ({ name, url, token, transport }) => {
      const w = testWindow();
      const seen: string[] = [];
      w.seen[name] = seen;
      const client = new w.milky.MilkyClient({
        baseUrl: url,
        accessToken: token,
        validation: 'strict',
        logger: { info() {}, warn() {}, error() {} },
        events: { transport, reconnect: { baseDelay: 20, maxDelay: 100 } },
      });
      client.on('message_receive', (event) =>
        seen.push(`message ${event.data.segments.map((part) => (part.type === 'text' ? part.data.text : part.type)).join('')}`),
      );
      client.on('connected', ({ transport }) => seen.push(`connected ${transport}`));
      client.on('reconnecting', ({ attempt }) => seen.push(`reconnecting ${attempt}`));
      w.clients[name] = client;
    },
    { name, ...options },
  );
}

const seen = (page: Page, name: string) => page.evaluate((name) => testWindow().seen[name] ?? [], name);
const waitUntilSeen = (page: Page, name: string, line: string) =>
  page.waitForFunction(({ name, line }) => testWindow().seen[name]?.includes(line) ?? false, { name, line });

test('typed calls, and events over the browser WebSocket and over SSE', async () => {
  await using app = await openApp();
  const { page, problems } = app;
  await using t = await start({ cors: [app.origin] });
  await makeClient(page, 'ws', { url: t.url, token, transport: 'websocket' });
  await makeClient(page, 'sse', { url: t.url, token, transport: 'sse' });
  const me = await page.evaluate(async () => {
    const { ws, sse } = testWindow().clients;
    if (!ws || !sse) throw new Error('the clients are missing');
    await Promise.all([ws.connect(), sse.connect()]);
    const info = await ws.api.get_login_info();
    const { friends } = await sse.api.get_friend_list({});
    return { uin: info.uin, nickname: info.nickname, friends: friends.length };
  });
  expect(me).toEqual({ uin: 10001, nickname: 'Milky Bot', friends: (await t.client.api.get_friend_list({})).friends.length });

  await t.world.send(10002, { scene: 'group', peerId: 20001 }, [{ type: 'text', data: { text: 'hello browser' } }]);
  await waitUntilSeen(page, 'ws', 'message hello browser');
  await waitUntilSeen(page, 'sse', 'message hello browser');
  expect(await seen(page, 'ws')).toEqual(['connected websocket', 'message hello browser']);
  expect(await seen(page, 'sse')).toEqual(['connected sse', 'message hello browser']);

  // A call the protocol refuses comes back as the client's typed error, retcode and all.
  const refused = await page.evaluate(async () => {
    const { milky, clients } = testWindow();
    const error = await clients.ws?.api.get_group_info({ group_id: 99999 }).catch((caught: unknown) => caught);
    return { api: error instanceof milky.MilkyApiError, retcode: (error as { retcode?: number }).retcode };
  });
  expect(refused.api).toBe(true);
  expect(refused.retcode).toBeLessThan(0);
  await page.evaluate(() => Promise.all(Object.values(testWindow().clients).map((client) => client.disconnect())));
  expect(problems).toEqual([]);
});

test('after the server restarts, both transports reconnect by themselves and receive again', async () => {
  await using app = await openApp();
  const { page, problems } = app;
  const first = await start({ cors: [app.origin] });
  const port = Number(new URL(first.url).port);
  await makeClient(page, 'ws', { url: first.url, token, transport: 'websocket' });
  await makeClient(page, 'sse', { url: first.url, token, transport: 'sse' });
  await page.evaluate(() => Promise.all(Object.values(testWindow().clients).map((client) => client.connect())));
  await first[Symbol.asyncDispose]();
  await waitUntilSeen(page, 'ws', 'reconnecting 1');
  await waitUntilSeen(page, 'sse', 'reconnecting 1');

  await using second = await start({ port, cors: [app.origin] });
  await page.waitForFunction(() =>
    ['ws', 'sse'].every((name) => (testWindow().seen[name] ?? []).filter((line) => line.startsWith('connected')).length === 2),
  );
  await second.world.send(10002, { scene: 'friend', peerId: 10002 }, [{ type: 'text', data: { text: 'back again' } }]);
  await waitUntilSeen(page, 'ws', 'message back again');
  await waitUntilSeen(page, 'sse', 'message back again');
  await page.evaluate(() => Promise.all(Object.values(testWindow().clients).map((client) => client.disconnect())));
  expect(problems).toEqual([]);
});

test('a wrong token ends the stream at once, on the browser WebSocket as on SSE', async () => {
  await using app = await openApp();
  const { page } = app;
  await using t = await start({ cors: [app.origin] });
  for (const transport of ['websocket', 'sse', 'auto'] as const) {
    await makeClient(page, transport, { url: t.url, token: 'not-the-token', transport });
    const failure = await page.evaluate(async (name) => {
      const { milky, clients } = testWindow();
      const error = await clients[name]?.connect().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      return { unauthorized: error instanceof milky.MilkyUnauthorizedError, message: String(error) };
    }, transport);
    expect(failure, transport).toEqual({ unauthorized: true, message: expect.stringContaining('401') });
    expect(await seen(page, transport)).toEqual([]);
  }
});
