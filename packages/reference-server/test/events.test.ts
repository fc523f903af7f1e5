import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MilkyClient } from '@milky/client';
import { MilkyWebhookReceiver } from '@milky/client/webhook';
import { type Event, type EventType, events as eventRegistry } from '@milky/types';
import { expect, test } from 'vitest';
import { base64Uri, codes, failure, start, token } from './helpers.ts';

const allTypes = Object.keys(eventRegistry) as EventType[];

/** Collects what one transport delivered, resolving once every event type has arrived. */
function collector(source: MilkyClient | MilkyWebhookReceiver) {
  const received: Event[] = [];
  let resolve = () => {};
  const complete = new Promise<void>((done) => {
    resolve = done;
  });
  source.on('event', (event) => {
    received.push(event as Event);
    if (allTypes.every((type) => received.some((e) => e.event_type === type))) resolve();
  });
  source.on('invalid', (invalid) => {
    throw new Error(`an invalid event arrived: ${invalid.error.message}`);
  });
  return { received, complete };
}

test('every event type reaches WebSocket, SSE and WebHook subscribers, valid and identical', async () => {
  const receiver = new MilkyWebhookReceiver({ token, validation: 'strict' });
  const hook = http.createServer(receiver.node);
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  await using t = await start({ webhook: [hookUrl] });
  const ws = new MilkyClient({ baseUrl: t.url, accessToken: token, validation: 'strict' });
  const sse = new MilkyClient({ baseUrl: t.url, accessToken: token, validation: 'strict' });
  const wire = { websocket: collector(ws), sse: collector(sse), webhook: collector(receiver) };
  await ws.connect({ transport: 'websocket' });
  await sse.connect({ transport: 'sse' });
  try {
    const { world, client } = t;
    // Others act: messages, requests, invitations.
    const hello = await world.messages.prepare([{ type: 'text', data: { text: 'hello bot' } }], 'message');
    world.messages.send(10002, { scene: 'friend', peerId: 10002 }, hello);
    world.people.requestFriendship(10008, 'hi', '群聊');
    world.groups.requestJoin(10007, 20001, 'let me in');
    world.groups.invite(10003, 20001, 10008);
    const invitation = world.groups.inviteBot(10009, 20004, undefined);
    // The bot acts.
    const { message_seq } = await client.api.send_private_message({ user_id: 10002, message: [{ type: 'text', data: { text: 'oops' } }] });
    await client.api.recall_private_message({ user_id: 10002, message_seq });
    await client.api.set_peer_pin({ message_scene: 'group', peer_id: 20001 });
    await client.api.send_friend_nudge({ user_id: 10002 });
    await client.api.upload_private_file({ user_id: 10002, file_uri: base64Uri('file'), file_name: 'a.txt' });
    await client.api.set_group_member_admin({ group_id: 20001, user_id: 10003 });
    await client.api.set_group_essence_message({ group_id: 20001, message_seq: 1 });
    await client.api.accept_group_invitation({ group_id: 20004, invitation_seq: invitation });
    await client.api.kick_group_member({ group_id: 20001, user_id: 10004 });
    await client.api.set_group_name({ group_id: 20001, new_group_name: 'renamed' });
    await client.api.send_group_message_reaction({ group_id: 20001, message_seq: 1, reaction: '76' });
    await client.api.set_group_member_mute({ group_id: 20001, user_id: 10006, duration: 60 });
    await client.api.set_group_whole_mute({ group_id: 20001 });
    await client.api.send_group_nudge({ group_id: 20001, user_id: 10002 });
    await client.api.upload_group_file({ group_id: 20001, file_uri: base64Uri('file'), file_name: 'b.txt' });
    t.server.setOnline(false, 'kicked off by another device');
    await failure(client.api.get_login_info(), -403);

    await Promise.all(Object.values(wire).map((transport) => transport.complete));
    const sent = t.events;
    expect(new Set(sent.map((event) => event.event_type))).toEqual(new Set(allTypes));
    for (const [name, transport] of Object.entries(wire)) {
      expect(transport.received, name).toEqual(sent);
    }
    expect(sent.at(-1)).toMatchObject({ event_type: 'bot_offline', self_id: 10001, data: { reason: 'kicked off by another device' } });
    t.server.setOnline(true);
    expect((await client.api.get_login_info()).uin).toBe(10001);
  } finally {
    await ws.disconnect();
    await sse.disconnect();
    hook.close();
  }
});

test('a failed operation sends no event and changes nothing', async () => {
  await using t = await start();
  await failure(t.client.api.kick_group_member({ group_id: 20002, user_id: 10005 }), codes.permissionDenied);
  await failure(
    t.client.api.send_group_message({
      group_id: 20001,
      message: [
        { type: 'text', data: { text: 'a' } },
        { type: 'reply', data: { message_seq: 99 } },
      ],
    }),
    codes.notFound,
  );
  expect(t.events).toEqual([]);
  expect((await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20001 })).messages).toHaveLength(7);
});
