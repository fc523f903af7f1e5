// Every event type, made to happen: on a server with the reference server's sandbox, the suite
// plays other people (and the bot, on its own fixtures) and checks that each event arrives on
// WebSocket, SSE and WebHook.

import { type EventType, events } from '@milky/types';
import { type Control, type Fixtures, makeFixtures } from '../control.ts';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import { definedBy, rules } from '../rules.ts';
import type { Target } from '../target.ts';
import { isEvent, type Transport, type Wire } from './stream.ts';

interface Trigger {
  readonly type: EventType;
  /** What the suite does to make it happen. */
  readonly how: string;
  readonly run: () => Promise<unknown>;
  /** Fields the event must carry. */
  readonly data: () => Record<string, unknown>;
}

export interface TriggerOptions {
  readonly control: Control | undefined;
  readonly loggedIn: boolean;
  readonly self: number | undefined;
  /** How long to wait for each event on each transport, in ms. */
  readonly timeout: number;
}

function matches(data: unknown, expected: Record<string, unknown>): boolean {
  if (typeof data !== 'object' || data === null) return false;
  return Object.entries(expected).every(([key, value]) => (data as Record<string, unknown>)[key] === value);
}

export async function triggerChecks(target: Target, recorder: Recorder, wire: Wire, options: TriggerOptions): Promise<void> {
  const types = Object.keys(events) as EventType[];
  const unavailable = !options.control
    ? 'needs a server with the reference server’s sandbox (--control-token) to make it happen'
    : !options.loggedIn || options.self === undefined
      ? 'the bot is not logged in (-403)'
      : undefined;
  if (unavailable) {
    for (const type of types) {
      await recorder.check('events', `${type} arrives on every transport`, definedBy(rules.eventHappens, type), async () => {
        throw skip(unavailable);
      });
    }
    return;
  }
  const control = options.control as Control;
  const self = options.self as number;
  let fixtures: Fixtures;
  try {
    fixtures = await makeFixtures(control, self);
  } catch (error) {
    for (const type of types) {
      await recorder.check('events', `${type} arrives on every transport`, definedBy(rules.eventHappens, type), async () => {
        throw skip(`the sandbox could not make fixtures: ${(error as Error).message}`);
      });
    }
    return;
  }
  const { friend, ownGroup } = fixtures;
  const [stranger1, stranger2, stranger3] = fixtures.strangers as [number, number, number];
  let friendSeq = 0;
  let groupSeq = 0;
  const groupName = `conformance renamed ${Date.now()}`;
  const triggers: Trigger[] = [
    {
      type: 'message_receive',
      how: `fixture friend ${friend} writes to the bot`,
      run: async () => {
        friendSeq = (
          await control.run<{ message_seq: number }>('say', { as: friend, message: [{ type: 'text', data: { text: 'conformance' } }] })
        ).message_seq;
      },
      data: () => ({ message_scene: 'friend', peer_id: friend, message_seq: friendSeq }),
    },
    {
      type: 'message_recall',
      how: 'the friend recalls that message',
      run: () => control.run('recall', { as: friend, message_seq: friendSeq }),
      data: () => ({ message_scene: 'friend', peer_id: friend, message_seq: friendSeq }),
    },
    {
      type: 'peer_pin_change',
      how: 'the bot pins the friend chat on another device',
      run: () => control.run('pin', { message_scene: 'friend', peer_id: friend, is_pinned: true }),
      data: () => ({ peer_id: friend, is_pinned: true }),
    },
    {
      type: 'friend_request',
      how: `fixture user ${stranger1} asks to be friends`,
      run: () => control.run('friend_request', { as: stranger1, comment: 'conformance' }),
      data: () => ({ initiator_id: stranger1 }),
    },
    {
      type: 'group_join_request',
      how: `fixture user ${stranger2} asks to join fixture group ${ownGroup}`,
      run: () => control.run('join_request', { as: stranger2, group_id: ownGroup, comment: 'conformance' }),
      data: () => ({ group_id: ownGroup, initiator_id: stranger2 }),
    },
    {
      type: 'group_invited_join_request',
      how: `the friend (a member) invites ${stranger3} into the group`,
      run: () => control.run('invite', { as: friend, group_id: ownGroup, user_id: stranger3 }),
      data: () => ({ group_id: ownGroup, initiator_id: friend, target_user_id: stranger3 }),
    },
    {
      type: 'group_invitation',
      how: `${stranger2} invites the bot into fixture group ${fixtures.outsideGroups[0]}`,
      run: () => control.run('invite_bot', { as: stranger2, group_id: fixtures.outsideGroups[0] }),
      data: () => ({ group_id: fixtures.outsideGroups[0], initiator_id: stranger2 }),
    },
    {
      type: 'friend_nudge',
      how: 'the friend nudges the bot',
      run: () => control.run('nudge', { as: friend }),
      data: () => ({ user_id: friend, is_self_send: false }),
    },
    {
      type: 'friend_file_upload',
      how: 'the friend sends a file',
      run: () =>
        control.run('upload', {
          as: friend,
          file_name: 'conformance.txt',
          file_uri: `base64://${Buffer.from('conformance').toString('base64')}`,
        }),
      data: () => ({ user_id: friend, file_name: 'conformance.txt', is_self: false }),
    },
    {
      type: 'group_admin_change',
      how: 'the bot (owner) makes the friend an admin of its fixture group',
      run: () => target.api('set_group_member_admin', { group_id: ownGroup, user_id: friend, is_set: true }),
      data: () => ({ group_id: ownGroup, user_id: friend, is_set: true, operator_id: self }),
    },
    {
      type: 'group_essence_message_change',
      how: 'the friend writes in the group; the bot marks it as essence',
      run: async () => {
        groupSeq = (
          await control.run<{ message_seq: number }>('say', {
            as: friend,
            group_id: ownGroup,
            message: [{ type: 'text', data: { text: 'conformance' } }],
          })
        ).message_seq;
        await target.api('set_group_essence_message', { group_id: ownGroup, message_seq: groupSeq });
      },
      data: () => ({ group_id: ownGroup, message_seq: groupSeq, is_set: true }),
    },
    {
      type: 'group_member_increase',
      how: `${stranger3} joins the fixture group`,
      run: () => control.run('join', { as: stranger3, group_id: ownGroup }),
      data: () => ({ group_id: ownGroup, user_id: stranger3 }),
    },
    {
      type: 'group_member_decrease',
      how: `${stranger3} leaves it`,
      run: () => control.run('leave', { as: stranger3, group_id: ownGroup }),
      data: () => ({ group_id: ownGroup, user_id: stranger3 }),
    },
    {
      type: 'group_name_change',
      how: 'the bot renames the fixture group',
      run: () => target.api('set_group_name', { group_id: ownGroup, new_group_name: groupName }),
      data: () => ({ group_id: ownGroup, new_group_name: groupName }),
    },
    {
      type: 'group_message_reaction',
      how: 'the friend reacts to its group message',
      run: () => control.run('react', { as: friend, group_id: ownGroup, message_seq: groupSeq, reaction: '76' }),
      data: () => ({ group_id: ownGroup, user_id: friend, message_seq: groupSeq, is_add: true }),
    },
    {
      type: 'group_mute',
      how: 'the bot mutes the friend for a minute',
      run: () => target.api('set_group_member_mute', { group_id: ownGroup, user_id: friend, duration: 60 }),
      data: () => ({ group_id: ownGroup, user_id: friend, duration: 60 }),
    },
    {
      type: 'group_whole_mute',
      how: 'the bot mutes the fixture group as a whole',
      run: () => target.api('set_group_whole_mute', { group_id: ownGroup, is_mute: true }),
      data: () => ({ group_id: ownGroup, is_mute: true }),
    },
    {
      type: 'group_nudge',
      how: 'the friend nudges the bot in the group',
      run: () => control.run('nudge', { as: friend, group_id: ownGroup }),
      data: () => ({ group_id: ownGroup, sender_id: friend, receiver_id: self }),
    },
    {
      type: 'group_file_upload',
      how: 'the friend uploads a file to the group',
      run: () =>
        control.run('upload', {
          as: friend,
          group_id: ownGroup,
          file_name: 'conformance.txt',
          file_uri: `base64://${Buffer.from('conformance').toString('base64')}`,
        }),
      data: () => ({ group_id: ownGroup, user_id: friend, file_name: 'conformance.txt' }),
    },
    {
      type: 'bot_offline',
      how: 'the sandbox takes the bot offline, then back online',
      run: async () => {
        await control.run('offline', { reason: 'conformance check' });
        await control.run('online');
      },
      data: () => ({ reason: 'conformance check' }),
    },
    {
      type: 'group_disband',
      how: `the friend (its owner) disbands fixture group ${fixtures.memberGroup}; the group is then gone for the bot`,
      run: async () => {
        await control.run('disband', { as: friend, group_id: fixtures.memberGroup });
        await target.failing('get_group_info', { group_id: fixtures.memberGroup });
      },
      data: () => ({ group_id: fixtures.memberGroup, operator_id: friend }),
    },
  ];
  const transports = [...wire.open] as Transport[];
  // In the order of the triggers (some build on earlier ones), then what the suite cannot make happen.
  const order = [...triggers.map((trigger) => trigger.type), ...types.filter((type) => !triggers.some((trigger) => trigger.type === type))];
  for (const type of order) {
    const trigger = triggers.find((candidate) => candidate.type === type);
    const notExpected = target.version.notExpected(`the ${type} event`, events[type].since);
    if (!trigger || notExpected) {
      await recorder.check('events', `${type} arrives on every transport`, definedBy(rules.eventHappens, type), async () => {
        throw skip(notExpected ?? 'this suite knows no way to make it happen');
      });
      continue;
    }
    await recorder.check(
      'events',
      `${trigger.type} arrives on every transport`,
      definedBy(rules.eventHappens, trigger.type),
      async () => {
        const from = wire.received.length;
        await trigger.run();
        const expected = trigger.data();
        const arrived = (transport: Transport) =>
          wire.received
            .slice(from)
            .some(
              (item) =>
                item.transport === transport &&
                isEvent(item.value) &&
                item.value.event_type === trigger.type &&
                matches(item.value.data, expected),
            );
        await wire.until(() => transports.every(arrived), options.timeout);
        const missing = transports.filter((transport) => !arrived(transport));
        expect(
          missing.length === 0,
          `no ${trigger.type} with ${describeValue(expected)} arrived on ${missing.join(', ')} within ${options.timeout} ms`,
        );
        expect(transports.length > 0, 'no event transport could be opened');
      },
      trigger.how,
    );
  }
}
