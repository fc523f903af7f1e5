// Servers of other protocol versions. A newer one (a made-up Milky 1.99, with an event type, a
// segment type, a notification type and output fields this version does not know) is decoded by
// the compatibility rules; an older one (1.2) is not asked for the APIs it does not have.

import type http from 'node:http';
import { type ApiName, apis, type EventOf, type MilkySchema, milkyVersion } from '@milky/types';
import { sample } from '@milky/types/samples';
import { describe, expect, test } from 'vitest';
import { MilkyClient, MilkyUnsupportedApiError, unsupportedSegment } from '../src/index.ts';
import { fakeServer, friendMessage, recordingLogger, silent } from './helpers.ts';

const ok = (data: unknown) => JSON.stringify({ status: 'ok', retcode: 0, data });
const hologram = { type: 'x_hologram', data: { frames: 3 } };
const notSupported = (tag: string) => ({
  type: 'text',
  data: { text: `[${tag}: a message segment this app's Milky version (${milkyVersion}) does not support]` },
});

/** A server answering each API from `answers` (a sample of its result for the others), recording the APIs called. */
async function versionedServer(answers: Record<string, unknown>, events: readonly unknown[] = []) {
  const called: string[] = [];
  const server = await fakeServer((request: http.IncomingMessage, response: http.ServerResponse) => {
    if (request.method === 'GET' && request.url?.startsWith('/event')) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of events) response.write(`event: milky_event\ndata: ${JSON.stringify(event)}\n\n`);
      return;
    }
    const api = request.url?.replace(/^\/api\//, '') ?? '';
    called.push(api);
    response.writeHead(200, { 'content-type': 'application/json' });
    const known = Object.hasOwn(apis, api) ? sample(apis[api as ApiName].output as MilkySchema<unknown>) : {};
    response.end(ok(answers[api] ?? known));
  });
  return Object.assign(server, { called });
}

const impl = (version: string) => ({
  impl_name: 'somewhere',
  impl_version: '9.9',
  qq_protocol_version: 'x',
  qq_protocol_type: 'linux',
  milky_version: version,
});

describe('a newer server (Milky 1.99)', () => {
  const message = { ...friendMessage(7), x_mood: 'happy', segments: [{ type: 'text', data: { text: 'look' } }, hologram] };
  const answers = {
    get_impl_info: { ...impl('1.99'), x_build: 'abc' },
    get_history_messages: { messages: [message], x_cursor: 'next' },
    get_group_notifications: {
      notifications: [
        { type: 'x_transfer_owner', group_id: 123456, notification_seq: 3, new_owner_id: 10003 },
        { type: 'quit', group_id: 123456, notification_seq: 2, target_user_id: 10002, x_reason: 'moved' },
      ],
    },
  };

  test('results: unknown segments shown as text (the original kept), unknown notifications left out, extra fields kept', async () => {
    await using server = await versionedServer(answers);
    const { logger, lines } = recordingLogger();
    const client = new MilkyClient({ baseUrl: server.url, logger });
    const info = await client.server();
    expect(info).toMatchObject({ milkyVersion: '1.99', implName: 'somewhere' });
    expect(info?.apis).toEqual(Object.keys(apis));

    const history = await client.api.get_history_messages({ message_scene: 'friend', peer_id: 10002 });
    expect(history).toMatchObject({ x_cursor: 'next', messages: [{ message_seq: 7, x_mood: 'happy' }] });
    const segments = history.messages[0]?.segments ?? [];
    expect(segments).toEqual([{ type: 'text', data: { text: 'look' } }, notSupported('x_hologram')]);
    expect(segments.map((segment) => unsupportedSegment(segment))).toEqual([undefined, hologram]);

    const { notifications } = await client.api.get_group_notifications();
    expect(notifications).toEqual([{ type: 'quit', group_id: 123456, notification_seq: 2, target_user_id: 10002, x_reason: 'moved' }]);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.fields)).toEqual([
      { type: 'x_hologram' },
      { union: 'GroupNotification', type: 'x_transfer_owner' },
    ]);
  });

  test('events: an unknown type is ignored with a notification; unknown segments and extra fields as in results', async () => {
    const nudge = {
      time: 3,
      self_id: 10001,
      event_type: 'group_nudge',
      data: {
        group_id: 123456,
        sender_id: 10002,
        receiver_id: 10001,
        display_action: '戳了戳',
        display_suffix: '',
        display_action_img_url: '',
        x_strength: 9,
      },
    };
    await using server = await versionedServer(answers, [
      { time: 1, self_id: 10001, event_type: 'x_unknown_event', data: { anything: true } },
      { time: 2, self_id: 10001, event_type: 'message_receive', data: message, x_trace: 't' },
      nudge,
    ]);
    const client = new MilkyClient({ baseUrl: server.url, logger: silent, events: { transport: 'sse' } });
    try {
      const unknown: string[] = [];
      const received: string[] = [];
      client.on('unknown', (event) => unknown.push(event.event_type));
      const iterator = client.events();
      const messages = new Promise<EventOf<'message_receive'>>((resolve) => client.once('message_receive', resolve));
      await client.connect();
      for await (const event of iterator) {
        received.push(event.event_type);
        if (event.event_type === 'group_nudge') {
          expect(event.data).toMatchObject({ x_strength: 9 });
          break;
        }
      }
      expect(received).toEqual(['message_receive', 'group_nudge']);
      expect(unknown).toEqual(['x_unknown_event']);
      const got = await messages;
      expect(got).toMatchObject({ x_trace: 't', data: { x_mood: 'happy' } });
      expect(got.data.segments[1]).toEqual(notSupported('x_hologram'));
    } finally {
      await client.disconnect();
    }
  });
});

describe('an older server (Milky 1.2)', () => {
  const newer = (Object.keys(apis) as ApiName[]).filter((name) => apis[name].since === milkyVersion);

  test('an API newer than the server is refused without a request, naming both versions', async () => {
    expect(newer.length).toBeGreaterThan(0);
    await using server = await versionedServer({ get_impl_info: impl('1.2') });
    const client = new MilkyClient({ baseUrl: server.url, logger: silent });
    for (const name of newer) {
      const error = await (client.call as (name: ApiName, input: unknown) => Promise<unknown>)(name, {}).catch((caught: unknown) => caught);
      expect(error, name).toBeInstanceOf(MilkyUnsupportedApiError);
      expect((error as Error).message).toBe(
        `calling ${name}: it appeared in Milky ${milkyVersion}, and the server speaks Milky 1.2 (its get_impl_info says so); not called`,
      );
    }
    expect(server.called).toEqual(['get_impl_info']);
    await client.api.get_peer_pins();
    await client.api.get_login_info();
    expect(server.called).toEqual(['get_impl_info', 'get_peer_pins', 'get_login_info']);
  });

  test('the client knows which APIs the server has', async () => {
    await using server = await versionedServer({ get_impl_info: impl('1.2') });
    const client = new MilkyClient({ baseUrl: server.url, logger: silent });
    const info = await client.server();
    expect(info?.milkyVersion).toBe('1.2');
    expect(info?.supports('get_peer_pins')).toBe(true);
    expect(newer.filter((name) => info?.supports(name))).toEqual([]);
    expect(info?.apis).toEqual((Object.keys(apis) as ApiName[]).filter((name) => !newer.includes(name)));
  });

  test('without the check, or when the server does not say its version, the call is made', async () => {
    const [name] = newer as [ApiName];
    await using old = await versionedServer({ get_impl_info: impl('1.2') });
    await (new MilkyClient({ baseUrl: old.url, logger: silent, versionCheck: false }).call as (n: ApiName, i: unknown) => Promise<unknown>)(
      name,
      {},
    );
    expect(old.called).toEqual([name]);
    await using vague = await versionedServer({ get_impl_info: impl('recent') });
    await (new MilkyClient({ baseUrl: vague.url, logger: silent }).call as (n: ApiName, i: unknown) => Promise<unknown>)(name, {});
    expect(vague.called).toEqual(['get_impl_info', name]);
  });
});
