// The sandbox can cause every event type of the protocol: each has a recipe of sandbox actions
// (no API call of the bot, no direct change of the world) that makes the bot receive it.

import { type EventType, events } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient } from '../src/index.ts';
import { png, start } from './helpers.ts';

const controlToken = 'control-token';

/** How to cause each event type with sandbox actions alone, in the demo world. */
const recipes: { readonly [T in EventType]: (sandbox: SandboxClient) => Promise<unknown> } = {
  bot_offline: (sandbox) => sandbox.run('offline', { reason: 'kicked' }),
  message_receive: (sandbox) => sandbox.as(10002).say('hello bot'),
  message_recall: async (sandbox) => {
    const { message_seq } = await sandbox.as(10002).say('oops');
    await sandbox.as(10002).recall(message_seq);
  },
  peer_pin_change: (sandbox) => sandbox.run('pin', { scene: 'friend', peer_id: 10002, pinned: true }),
  friend_request: (sandbox) => sandbox.as(10008).requestFriendship('hi'),
  group_join_request: (sandbox) => sandbox.as(10008).requestJoin(20002, 'let me in'),
  group_invited_join_request: (sandbox) => sandbox.as(10003).invite(20001, 10008),
  group_invitation: (sandbox) => sandbox.as(10009).inviteBot(20004),
  friend_nudge: (sandbox) => sandbox.as(10002).nudge(),
  friend_file_upload: (sandbox) => sandbox.as(10002).upload('a.txt', Buffer.from('file')),
  group_admin_change: (sandbox) => sandbox.as(10006).setAdmin(20003, 10001),
  group_essence_message_change: (sandbox) => sandbox.as(10002).essence(20001, 1),
  group_member_increase: (sandbox) => sandbox.as(10008).join(20002),
  group_member_decrease: (sandbox) => sandbox.as(10003).leave(20001),
  group_name_change: (sandbox) => sandbox.as(10006).renameGroup(20003, 'renamed'),
  group_message_reaction: (sandbox) => sandbox.as(10002).react(20001, 1, '76'),
  group_mute: (sandbox) => sandbox.as(10006).mute(20003, 10001, 60),
  group_whole_mute: (sandbox) => sandbox.as(10006).wholeMute(20003),
  group_nudge: (sandbox) => sandbox.as(10002).nudge({ group: 20001 }),
  group_file_upload: (sandbox) => sandbox.as(10002).upload('b.png', png(2).bytes, { group: 20001 }),
  group_disband: (sandbox) => sandbox.as(10006).disband(20003),
};

describe('the sandbox can cause every event type', () => {
  test('each event type of the protocol has a recipe', () => {
    expect(
      Object.keys(events).filter((type) => !Object.hasOwn(recipes, type)),
      'event types no sandbox action causes',
    ).toEqual([]);
  });

  test.each(Object.keys(events).filter((type) => Object.hasOwn(recipes, type)) as EventType[])('%s', async (type) => {
    await using t = await start({ controlToken });
    const sandbox = new SandboxClient({ url: t.world.links.origin, token: controlToken });
    await recipes[type](sandbox);
    expect(t.events.map((event) => event.event_type)).toContain(type);
  });
});
