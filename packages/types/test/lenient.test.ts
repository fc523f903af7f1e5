// Receivers validate leniently: what a newer protocol side may add passes, what is wrong does not.

import { describe, expect, test } from 'vitest';
import { apiValidators, type Event, eventValidator, isKnownEvent, isKnownSegment, type UnknownEvent } from '../src/index.ts';

const group = {
  group_id: 123456,
  group_name: 'Test group',
  member_count: 3,
  max_member_count: 200,
  remark: '',
  created_time: 1700000000,
  description: '',
  question: '',
  announcement: '',
};

const member = {
  user_id: 654321,
  nickname: 'alice',
  sex: 'female',
  group_id: 123456,
  card: '',
  title: '',
  level: 5,
  role: 'member',
  join_time: 1700000000,
  last_sent_time: 1700000500,
};

function groupMessage(segments: unknown[]) {
  return {
    time: 1700000600,
    self_id: 10001,
    event_type: 'message_receive',
    data: {
      message_scene: 'group',
      peer_id: 123456,
      message_seq: 77,
      sender_id: 654321,
      time: 1700000600,
      segments,
      group,
      group_member: member,
    },
  };
}

describe('lenient validation', () => {
  test('a known event passes both modes', () => {
    const event = groupMessage([{ type: 'text', data: { text: 'hello' } }]);
    expect(eventValidator().check(event)).toBe(true);
    expect(eventValidator('lenient').check(event)).toBe(true);
  });

  test('an unknown event type passes lenient mode with its envelope, and is told apart', () => {
    const event = { time: 1700000600, self_id: 10001, event_type: 'x_unknown_event', data: { group_id: 123456, operator_id: 10002 } };
    expect(eventValidator().issues(event)[0]?.message).toMatch(
      /^event_type: expected one of "bot_offline", .*got the string "x_unknown_event"$/,
    );
    const lenient = eventValidator('lenient');
    expect(lenient.check(event)).toBe(true);
    if (lenient.check(event)) expect(isKnownEvent(event)).toBe(false);
    expect(lenient.issues({ ...event, self_id: 1 })[0]?.message).toBe(
      'self_id: expected an integer from 10001 to 4294967295, got the number 1',
    );
    expect(lenient.check({ ...event, time: undefined })).toBe(false);
  });

  test('an unknown segment is kept; known segments beside it are still checked', () => {
    const event = groupMessage([
      { type: 'text', data: { text: 'look' } },
      { type: 'x_hologram', data: { frames: 3 } },
    ]);
    expect(eventValidator().check(event)).toBe(false);
    expect(eventValidator().issues(event)[0]?.path).toBe('data.segments[1].type');
    const lenient = eventValidator('lenient');
    expect(lenient.check(event)).toBe(true);
    const parsed = lenient.parse(event) as Event | UnknownEvent;
    if (!isKnownEvent(parsed) || parsed.event_type !== 'message_receive') throw new Error('expected a message');
    expect(parsed.data.segments.map((segment) => isKnownSegment(segment))).toEqual([true, false]);
    expect(parsed.data.segments[1]).toEqual({ type: 'x_hologram', data: { frames: 3 } });

    const broken = groupMessage([
      { type: 'text', data: { text: 5 } },
      { type: 'x_hologram', data: {} },
    ]);
    expect(lenient.issues(broken).map((issue) => issue.message)).toEqual([
      'data.segments[0].data.text: expected a string, got the number 5',
    ]);
  });

  test('fields the protocol does not declare pass lenient mode only', () => {
    const event = groupMessage([{ type: 'text', data: { text: 'x', style: 'bold' } }]);
    (event.data.group as Record<string, unknown>).level = 3;
    expect(
      eventValidator()
        .issues(event)
        .map((issue) => issue.path),
    ).toEqual(['data.segments[0].data.style', 'data.group.level']);
    expect(eventValidator('lenient').check(event)).toBe(true);
  });

  test('an unknown group notification passes lenient mode; an unknown message scene does not', () => {
    const output = { notifications: [{ type: 'x_transfer_owner', group_id: 1, anything: true }] };
    const { output: strict } = apiValidators('get_group_notifications');
    const { output: lenient } = apiValidators('get_group_notifications', 'lenient');
    expect(strict.check(output)).toBe(false);
    expect(lenient.check(output)).toBe(true);
    const message = { message: { message_scene: 'x_channel', peer_id: 10001, message_seq: 1, sender_id: 10001, time: 1, segments: [] } };
    expect(apiValidators('get_message', 'lenient').output.issues(message)[0]?.message).toBe(
      'message.message_scene: expected one of "friend", "group", "temp", got the string "x_channel"',
    );
  });

  test('lenient mode keeps enums strict', () => {
    const event = groupMessage([]);
    (event.data.group_member as Record<string, unknown>).role = 'moderator';
    expect(eventValidator('lenient').issues(event)[0]?.message).toBe(
      'data.group_member.role: expected one of "admin", "member", "owner", got the string "moderator"',
    );
  });
});
