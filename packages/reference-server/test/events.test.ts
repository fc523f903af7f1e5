import { type EventType, events as eventRegistry } from '@milky/types';
import { expect, test } from 'vitest';
import { base64Uri, codes, failure, start, subscribe, webhookReceiver } from './helpers.ts';

const allTypes = Object.keys(eventRegistry) as EventType[];

test('every event type reaches WebSocket, SSE and WebHook subscribers, valid and identical', async () => {
  const hook = await webhookReceiver();
  await using t = await start({ webhook: [hook.url] });
  await using subscribers = await subscribe(t.url, hook);
  {
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
    world.groups.disband(10006, 20003);
    t.server.setOnline(false, 'kicked off by another device');
    await failure(client.api.get_login_info(), -403);

    const sent = t.events;
    const caused = new Set(sent.map((event) => event.event_type));
    expect(
      allTypes.filter((type) => !caused.has(type)),
      'event types of the protocol that the world did not cause',
    ).toEqual([]);
    for (const [name, wire] of Object.entries(subscribers.wires)) {
      expect(await wire.until(sent.length), name).toEqual(sent);
    }
    expect(sent.at(-1)).toMatchObject({ event_type: 'bot_offline', self_id: 10001, data: { reason: 'kicked off by another device' } });
    t.server.setOnline(true);
    expect((await client.api.get_login_info()).uin).toBe(10001);
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
