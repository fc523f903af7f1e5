import { type EventType, events as eventRegistry } from '@milky/types';
import { expect, test } from 'vitest';
import { base64Uri, codes, failure, start, subscribe, token, webhookReceiver } from './helpers.ts';

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

test('the event options of @milky/server pass through: SSE retry, keep-alive interval and replay', async () => {
  await using t = await start({ sseRetry: 1234, sseKeepAliveInterval: 50, sseReplay: 1 });
  const lines = sseLines(`${t.url}/event?access_token=${token}`);
  await lines.until((line) => line === 'retry: 1234');
  await lines.until((line) => line === ': keep-alive');
  const greeting = await t.world.messages.prepare([{ type: 'text', data: { text: 'hello' } }], 'message');
  t.world.messages.send(10002, { scene: 'friend', peerId: 10002 }, greeting);
  t.world.messages.send(10002, { scene: 'friend', peerId: 10002 }, greeting);
  const first = await lines.until((line) => line.startsWith('id: '));
  await lines.close();
  // Resuming from before the first of two events, with one kept: one is too old.
  const resumed = sseLines(`${t.url}/event?access_token=${token}`, { 'last-event-id': first.slice(4).replace(/-\d+$/, '-0') });
  await resumed.until((line) => line === ': 1 events are too old to be replayed');
  await resumed.close();
});

/** The lines of an SSE stream as they come; `until` resolves with the first (from the start) that matches. */
function sseLines(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const seen: string[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    const response = await fetch(url, { headers, signal: controller.signal });
    let rest = '';
    for await (const chunk of response.body ?? []) {
      const parts = (rest + Buffer.from(chunk).toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      seen.push(...parts);
      for (const wake of waiters) wake();
    }
  })().catch(() => {});
  return {
    until: (match: (line: string) => boolean) =>
      new Promise<string>((resolve) => {
        const wake = () => {
          const found = seen.find(match);
          if (found === undefined) return;
          waiters.delete(wake);
          resolve(found);
        };
        waiters.add(wake);
        wake();
      }),
    async close() {
      controller.abort();
      await reading;
    },
  };
}
