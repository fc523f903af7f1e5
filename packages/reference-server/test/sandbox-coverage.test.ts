// The sandbox can cause every event type of the protocol: each has a recipe of sandbox actions
// (no API call of the bot, no direct change of the world) that makes the bot receive it.

import { type EventType, events } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient } from '../src/index.ts';
import { base64Uri, png, start } from './helpers.ts';

const controlToken = 'control-token';

/** How to cause each event type with sandbox actions alone, in the demo world. */
const recipes: { readonly [T in EventType]: (sandbox: SandboxClient) => Promise<unknown> } = {
  bot_offline: (sandbox) => sandbox.actions.offline({ reason: 'kicked' }),
  message_receive: (sandbox) => sandbox.as(10002).say({ message: 'hello bot' }),
  message_recall: async (sandbox) => {
    const { message_seq } = await sandbox.as(10002).say({ message: 'oops' });
    await sandbox.as(10002).recall({ message_seq });
  },
  peer_pin_change: (sandbox) => sandbox.actions.pin({ message_scene: 'friend', peer_id: 10002, is_pinned: true }),
  friend_request: (sandbox) => sandbox.as(10008).friend_request({ comment: 'hi' }),
  group_join_request: (sandbox) => sandbox.as(10008).join_request({ group_id: 20002, comment: 'let me in' }),
  group_invited_join_request: (sandbox) => sandbox.as(10003).invite({ group_id: 20001, user_id: 10008 }),
  group_invitation: (sandbox) => sandbox.as(10009).invite_bot({ group_id: 20004 }),
  friend_nudge: (sandbox) => sandbox.as(10002).nudge({}),
  friend_file_upload: (sandbox) => sandbox.as(10002).upload({ file_name: 'a.txt', file_uri: base64Uri(Buffer.from('file')) }),
  group_admin_change: (sandbox) => sandbox.as(10006).set_admin({ group_id: 20003, user_id: 10001 }),
  group_essence_message_change: (sandbox) => sandbox.as(10002).essence({ group_id: 20001, message_seq: 1 }),
  group_member_increase: (sandbox) => sandbox.as(10008).join({ group_id: 20002 }),
  group_member_decrease: (sandbox) => sandbox.as(10003).leave({ group_id: 20001 }),
  group_name_change: (sandbox) => sandbox.as(10006).rename_group({ group_id: 20003, new_group_name: 'renamed' }),
  group_message_reaction: (sandbox) => sandbox.as(10002).react({ group_id: 20001, message_seq: 1, reaction: '76' }),
  group_mute: (sandbox) => sandbox.as(10006).mute({ group_id: 20003, user_id: 10001, duration: 60 }),
  group_whole_mute: (sandbox) => sandbox.as(10006).whole_mute({ group_id: 20003, is_mute: true }),
  group_nudge: (sandbox) => sandbox.as(10002).nudge({ group_id: 20001 }),
  group_file_upload: (sandbox) => sandbox.as(10002).upload({ file_name: 'b.png', file_uri: base64Uri(png(2).bytes), group_id: 20001 }),
  group_disband: (sandbox) => sandbox.as(10006).disband({ group_id: 20003 }),
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
