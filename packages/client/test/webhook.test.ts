import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MilkyServer } from '@milky/server';
import type { EventOf } from '@milky/types';
import express from 'express';
import { describe, expect, test } from 'vitest';
import { MilkyWebhookReceiver } from '../src/webhook.ts';
import { recordingLogger, silent } from './helpers.ts';

const token = 'hook-token';
const nudge: EventOf<'friend_nudge'> = {
  time: 1763900000,
  self_id: 10001,
  event_type: 'friend_nudge',
  data: {
    user_id: 10002,
    is_self_send: false,
    is_self_receive: true,
    display_action: 'poked',
    display_suffix: '',
    display_action_img_url: '',
  },
};

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('the WebHook receiver on node:http', () => {
  test('the right token: 204, and the event reaches the typed handlers', async () => {
    const receiver = new MilkyWebhookReceiver({ token, logger: silent });
    await using server = await serve(receiver.node);
    const received = once(receiver as never, 'friend_nudge');
    const response = await post(server.url, JSON.stringify(nudge), { authorization: `Bearer ${token}` });
    expect(response.status).toBe(204);
    expect(await received).toEqual([nudge]);
  });

  test.each([
    ['no token', {}, 401],
    ['a wrong token', { authorization: 'Bearer wrong' }, 401],
    ['another scheme', { authorization: `Basic ${token}` }, 401],
  ])('%s: 401 and nothing emitted', async (_, headers, status) => {
    const receiver = new MilkyWebhookReceiver({ token, logger: silent });
    let emitted = 0;
    receiver.on('event', () => emitted++);
    await using server = await serve(receiver.node);
    const response = await post(server.url, JSON.stringify(nudge), headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(emitted).toBe(0);
  });

  test('other refusals: GET, another content type, too large, not an event', async () => {
    const { logger, lines } = recordingLogger();
    const receiver = new MilkyWebhookReceiver({ bodyLimit: 1000, logger });
    const invalid: string[] = [];
    receiver.on('invalid', ({ raw }) => invalid.push(raw));
    await using server = await serve(receiver.node);
    expect((await fetch(server.url)).status).toBe(405);
    expect((await post(server.url, JSON.stringify(nudge), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(server.url, JSON.stringify({ ...nudge, padding: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await post(server.url, '{oops')).status).toBe(400);
    expect((await post(server.url, JSON.stringify({ ...nudge, self_id: 1 }))).status).toBe(400);
    expect(invalid).toEqual(['{oops', JSON.stringify({ ...nudge, self_id: 1 })]);
    expect(lines.filter((line) => line.message === 'event not taken')).toHaveLength(2);
    expect((await post(server.url, JSON.stringify(nudge))).status).toBe(204);
  });
});

describe('the fetch and express handlers', () => {
  test('fetch: Request in, Response out', async () => {
    const receiver = new MilkyWebhookReceiver({ token, logger: silent });
    const received = once(receiver as never, 'friend_nudge');
    const request = (authorization: string) =>
      new Request('http://bot.example/hook', {
        method: 'POST',
        body: JSON.stringify(nudge),
        headers: { 'content-type': 'application/json; charset=utf-8', authorization },
      });
    expect((await receiver.fetch(request('Bearer wrong'))).status).toBe(401);
    const accepted = await receiver.fetch(request(`Bearer ${token}`));
    expect([accepted.status, await accepted.text()]).toEqual([204, '']);
    expect(await received).toEqual([nudge]);
  });

  test('express, also behind express.json()', async () => {
    const receiver = new MilkyWebhookReceiver({ token, logger: silent });
    const app = express();
    app.post('/raw', receiver.express());
    app.post('/parsed', express.json(), receiver.express());
    const types: string[] = [];
    receiver.on('event', (event) => types.push(event.event_type));
    await using server = await serve(app);
    const base = server.url.replace('/hook', '');
    for (const path of ['/raw', '/parsed']) {
      expect((await post(`${base}${path}`, JSON.stringify(nudge), { authorization: `Bearer ${token}` })).status).toBe(204);
      expect((await post(`${base}${path}`, JSON.stringify(nudge))).status).toBe(401);
    }
    expect(types).toEqual(['friend_nudge', 'friend_nudge']);
  });
});

test('end to end: @milky/server pushes its events to the receiver, with its token', async () => {
  const receiver = new MilkyWebhookReceiver({ token, logger: silent });
  await using hook = await serve(receiver.node);
  const milky = new MilkyServer({ accessToken: token, port: 0, webhook: [hook.url], logger: silent });
  await milky.listen();
  const iterator = receiver.events();
  try {
    milky.emit(nudge);
    milky.emit({ ...nudge, time: nudge.time + 1 });
    expect((await iterator.next()).value).toEqual(nudge);
    expect((await iterator.next()).value).toMatchObject({ time: nudge.time + 1 });
  } finally {
    receiver.close();
    await milky.close();
  }
  expect(await iterator.next()).toEqual({ value: undefined, done: true });
});
