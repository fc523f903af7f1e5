import http from 'node:http';
import { MilkyClient } from '@milky/client';
import type { Event } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient, SandboxHttpError } from '../src/index.ts';
import { base64Uri, codes, failure, png, start, subscribe, token, webhookReceiver } from './helpers.ts';

const controlToken = 'control-token';

async function sandboxed(options: Parameters<typeof start>[0] = {}) {
  const t = await start({ controlToken, ...options });
  const origin = t.server.world.links.origin;
  return Object.assign(t, { sandbox: new SandboxClient({ url: origin, token: controlToken }), origin });
}

type Expected = Array<Pick<Event, 'event_type'> & { data: Record<string, unknown> }>;

describe('the control API', () => {
  test('every action makes exactly its events, on WebSocket, SSE and WebHook alike', async () => {
    const hook = await webhookReceiver();
    await using t = await sandboxed({ webhook: [hook.url] });
    await using subscribers = await subscribe(t.url, hook);
    const alice = t.sandbox.as(10002);
    const expected: Expected = [];
    /** Runs an action and states the events it must make. */
    const step = async (action: () => Promise<unknown>, ...events: Expected) => {
      const before = t.events.length;
      await action();
      expect(t.events.slice(before).map(({ event_type, data }) => ({ event_type, data }))).toMatchObject(events);
      expect(t.events.length - before).toBe(events.length);
      expected.push(...events);
    };
    {
      await step(() => t.sandbox.actions.create_user({ user_id: 10010, nickname: 'Ivan' }));
      await step(() => t.sandbox.actions.befriend({ user_id: 10010 }));
      await step(() =>
        t.sandbox.actions.create_group({
          group_id: 20010,
          name: 'New',
          owner_id: 10010,
          members: [{ user_id: 10001 }, { user_id: 10002, role: 'admin' }],
        }),
      );
      const said = await alice.say({ message: 'hello bot' });
      expected.push({ event_type: 'message_receive', data: { message_scene: 'friend', peer_id: 10002, sender_id: 10002 } });
      await step(
        () =>
          alice.say({
            message: [
              { type: 'reply', data: { message_seq: 3 } },
              { type: 'mention', data: { user_id: 10001 } },
              { type: 'image', data: { uri: png(5).uri } },
            ],
            group_id: 20001,
          }),
        { event_type: 'message_receive', data: { message_scene: 'group', peer_id: 20001, sender_id: 10002 } },
      );
      await step(
        () =>
          t.sandbox.as(10008).say({
            message: [
              {
                type: 'market_face',
                data: { emoji_package_id: 1, emoji_id: 'e', key: 'k', summary: '[贴纸]', url: 'https://example.com/s.gif' },
              },
            ],
            via_group_id: 20003,
          }),
        { event_type: 'message_receive', data: { message_scene: 'temp', peer_id: 10008, group: { group_id: 20003 } } },
      );
      await step(() => alice.recall({ message_seq: said.message_seq }), {
        event_type: 'message_recall',
        data: { message_scene: 'friend', peer_id: 10002, message_seq: said.message_seq, operator_id: 10002 },
      });
      await step(() => alice.nudge({}), {
        event_type: 'friend_nudge',
        data: { user_id: 10002, is_self_send: false, is_self_receive: true },
      });
      await step(() => alice.nudge({ group_id: 20001 }), {
        event_type: 'group_nudge',
        data: { group_id: 20001, sender_id: 10002, receiver_id: 10001 },
      });
      await step(() => t.sandbox.as(10008).friend_request({ comment: 'hi' }), {
        event_type: 'friend_request',
        data: { initiator_id: 10008, comment: 'hi' },
      });
      await step(() => t.sandbox.as(10007).join_request({ group_id: 20001, comment: 'me too' }), {
        event_type: 'group_join_request',
        data: { group_id: 20001, initiator_id: 10007 },
      });
      await step(() => t.sandbox.as(10003).invite({ group_id: 20001, user_id: 10005 }), {
        event_type: 'group_invited_join_request',
        data: { initiator_id: 10003, target_user_id: 10005 },
      });
      await step(() => t.sandbox.as(10004).invite_bot({ group_id: 20004, source_group_id: 20001 }), {
        event_type: 'group_invitation',
        data: { group_id: 20004, initiator_id: 10004, source_group_id: 20001 },
      });
      await step(() => t.sandbox.as(10009).join({ group_id: 20002 }), {
        event_type: 'group_member_increase',
        data: { group_id: 20002, user_id: 10009 },
      });
      await step(() => t.sandbox.as(10009).leave({ group_id: 20002 }), {
        event_type: 'group_member_decrease',
        data: { group_id: 20002, user_id: 10009 },
      });
      await step(() => t.sandbox.as(10006).mute({ group_id: 20003, user_id: 10001, duration: 60 }), {
        event_type: 'group_mute',
        data: { group_id: 20003, user_id: 10001, operator_id: 10006, duration: 60 },
      });
      await step(() => t.sandbox.as(10006).whole_mute({ group_id: 20003, is_mute: true }), {
        event_type: 'group_whole_mute',
        data: { group_id: 20003, operator_id: 10006, is_mute: true },
      });
      await step(() => t.sandbox.as(10007).rename_group({ group_id: 20003, new_group_name: '周日闲聊' }), {
        event_type: 'group_name_change',
        data: { new_group_name: '周日闲聊', operator_id: 10007 },
      });
      await step(() => t.sandbox.as(10006).set_admin({ group_id: 20003, user_id: 10001 }), {
        event_type: 'group_admin_change',
        data: { group_id: 20003, user_id: 10001, is_set: true },
      });
      await step(() => t.sandbox.as(10007).essence({ group_id: 20003, message_seq: 1 }), {
        event_type: 'group_essence_message_change',
        data: { message_seq: 1, operator_id: 10007, is_set: true },
      });
      await step(() => alice.react({ group_id: 20001, message_seq: 1, reaction: '👍', reaction_type: 'emoji' }), {
        event_type: 'group_message_reaction',
        data: { user_id: 10002, face_id: '👍', reaction_type: 'emoji', is_add: true },
      });
      await step(
        () => alice.upload({ file_name: 'a.txt', file_uri: base64Uri('from Alice') }),
        { event_type: 'message_receive', data: { message_scene: 'friend', segments: [{ type: 'file' }] } },
        { event_type: 'friend_file_upload', data: { user_id: 10002, file_name: 'a.txt', is_self: false } },
      );
      await step(
        () => alice.upload({ file_name: 'b.txt', file_uri: base64Uri('to the group'), group_id: 20001 }),
        { event_type: 'message_receive', data: { message_scene: 'group', segments: [{ type: 'file' }] } },
        { event_type: 'group_file_upload', data: { group_id: 20001, user_id: 10002, file_name: 'b.txt' } },
      );
      await step(() => t.sandbox.actions.pin({ message_scene: 'friend', peer_id: 10002, is_pinned: true }), {
        event_type: 'peer_pin_change',
        data: { peer_id: 10002, is_pinned: true },
      });
      await step(() => t.sandbox.as(10006).kick({ group_id: 20003, user_id: 10001 }), {
        event_type: 'group_member_decrease',
        data: { group_id: 20003, user_id: 10001, operator_id: 10006 },
      });
      await step(() => t.sandbox.actions.offline({ reason: 'sandbox' }), { event_type: 'bot_offline', data: { reason: 'sandbox' } });
      await failure(t.client.api.get_login_info(), -403);
      await step(() => t.sandbox.actions.online({}));
      expect((await t.client.api.get_group_list()).groups.map((group) => group.group_id)).toEqual([20001, 20002, 20010]);

      for (const [name, wire] of Object.entries(subscribers.wires)) {
        const received = await wire.until(t.events.length);
        expect(received, name).toEqual(t.events);
      }
      expect(t.events.map(({ event_type, data }) => ({ event_type, data }))).toMatchObject(expected);
    }
  });

  test('the world is checked as for the bot: rights, input, the token', async () => {
    await using t = await sandboxed();
    expect(await failure(t.sandbox.as(10003).mute({ group_id: 20001, user_id: 10002, duration: 60 }), codes.permissionDenied)).toMatch(
      /owner or an admin/,
    );
    await failure(t.sandbox.as(10008).say({ message: 'hi' }), codes.notFound);
    await failure(t.sandbox.as(99999).say({ message: 'hi', group_id: 20001 }), codes.notFound);
    expect(await failure(t.sandbox.run('say', { as: 10002, message: [{ type: 'text', data: {} }] as never }), -422)).toMatch(
      /^message\[0\]\.data\.text: /,
    );
    expect(await failure(t.sandbox.run('mute', { as: 10002 } as never), -400)).toMatch(
      /invalid parameters: group_id: required field is missing/,
    );
    // What the transport refuses is an HTTP status, never a retcode.
    for (const wrong of ['wrong', token]) {
      const refused = await new SandboxClient({ url: t.origin, token: wrong }).actions.world({}).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SandboxHttpError);
      expect(refused).toMatchObject({ status: 401, action: 'world' });
      expect(refused).not.toHaveProperty('retcode');
    }
    const response = await fetch(`${t.origin}/control/nothing`, { method: 'POST', headers: { authorization: `Bearer ${controlToken}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/no sandbox action "nothing": GET \/control lists them/);
    // The Milky API does not take the control token, nor the control API the access token.
    await expect(new MilkyClient({ baseUrl: t.url, accessToken: controlToken }).api.get_login_info()).rejects.toThrow(/401/);
  });

  test('reads: the world, the messages of a chat (the bot’s own too), file links, and the live stream', async () => {
    await using t = await sandboxed();
    const world = await t.sandbox.actions.world({});
    expect(world.self_id).toBe(10001);
    expect(world.users.filter((user) => user.is_friend).map((user) => user.user_id)).toEqual([10002, 10003, 10004, 10005]);
    expect(world.groups.find((group) => group.group_id === 20004)?.members.map((member) => member.user_id)).toEqual([10009, 10004]);

    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const item of t.sandbox.stream(abort.signal)) {
        seen.push(item.kind === 'milky' ? item.event.event_type : `message from ${item.message.sender_id}`);
        if (seen.length === 3) abort.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t.sandbox.as(10002).say({ message: 'ping', group_id: 20001 });
    await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'pong' } }] });
    await watching;
    expect(seen).toEqual(['message_receive', 'message from 10002', 'message from 10001']);

    const { messages } = await t.sandbox.actions.messages({ message_scene: 'group', peer_id: 20001, limit: 2 });
    expect(messages.map((message) => message.sender_id)).toEqual([10002, 10001]);
    const file = (await t.sandbox.actions.messages({ message_scene: 'group', peer_id: 20001 })).messages.find(
      (message) => message.segments[0]?.type === 'file',
    );
    const fileId = file?.segments[0]?.type === 'file' ? file.segments[0].data.file_id : '';
    const { url } = await t.sandbox.actions.file_url({ file_id: fileId });
    expect(await (await fetch(url)).text()).toContain('Notes on Milky 1.2');
  });

  test('without a control token there is no sandbox; the same token for both is refused', async () => {
    await using t = await start();
    expect((await fetch(`${t.server.world.links.origin}/control/world`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${t.server.world.links.origin}/sandbox`)).status).toBe(404);
    await expect(start({ controlToken: token })).rejects.toThrow(/must differ from the access token/);
  });
});

test('a stream watcher that stops reading is let go, and logged, and the server keeps running past its keep-alive', async () => {
  const warnings: string[] = [];
  await using t = await sandboxed({
    logger: { info() {}, warn: (message: string) => warnings.push(message), error() {} },
    sandboxKeepAliveInterval: 20,
    sandboxBufferLimit: 64 * 1024,
  });
  const open = () =>
    new Promise<http.IncomingMessage>((resolve) => {
      http.get(`${t.origin}/control/stream`, { headers: { authorization: `Bearer ${controlToken}` } }, resolve);
    });
  const slow = await open();
  slow.pause(); // never reads
  const big = 'x'.repeat(8 * 1024);
  for (let i = 0; i < 2000 && warnings.length === 0; i++) await t.sandbox.as(10002).say({ message: big });
  expect(warnings).toContain('a sandbox stream fell behind and was closed');
  // Once the slow watcher is gone, keep-alives go on for a watcher that reads, and nothing is written to the dropped one.
  const watcher = await open();
  watcher.setEncoding('utf8');
  let seen = '';
  for await (const chunk of watcher) {
    seen += chunk;
    if (seen.split(': keep-alive').length > 3) break;
  }
  watcher.destroy();
  slow.destroy();
  expect((await t.client.call('get_login_info')).uin).toBe(10001);
});

describe('the stream in Milky format', () => {
  test('@milky/client reads /control/event with the control token: world events, and stored messages as sandbox_message', async () => {
    await using t = await sandboxed();
    await using watcher = new MilkyClient({ baseUrl: `${t.origin}/control/`, accessToken: controlToken, events: { transport: 'sse' } });
    const known: string[] = [];
    const stored: unknown[] = [];
    let resolve = () => {};
    const both = new Promise<void>((done) => {
      resolve = done;
    });
    const settle = () => {
      if (stored.length === 1 && known.length === 1) resolve();
    };
    // `sandbox_message` is no protocol event type: the client announces it as `unknown`.
    watcher.on('unknown', (event) => {
      if (event.event_type === 'sandbox_message') stored.push(event.data);
      settle();
    });
    watcher.on('event', (event) => {
      known.push(event.event_type);
      settle();
    });
    await watcher.connect();
    const { message_seq } = await t.sandbox.as(10002).say({ message: 'through the sandbox', group_id: 20001 });
    await both;
    expect(known).toEqual(['message_receive']);
    expect(stored).toMatchObject([{ message_scene: 'group', peer_id: 20001, message_seq, sender_id: 10002 }]);
    const refused = new MilkyClient({ baseUrl: `${t.origin}/control/`, accessToken: token, events: { transport: 'sse' } });
    await expect(refused.connect()).rejects.toThrow(/401/);
  });
});
