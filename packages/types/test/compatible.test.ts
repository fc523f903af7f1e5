// The compatibility rules applied to what a newer protocol side sends: unknown segments replaced,
// unknown members of other unions inside arrays left out, everything else kept.

import { describe, expect, test } from 'vitest';
import { apis, apiValidators, applyCompatibility, Event, eventValidator, type UnknownMember } from '../src/index.ts';

const friend = { user_id: 10002, nickname: 'n', sex: 'unknown', qid: '', remark: '', category: { category_id: 1, category_name: 'c' } };
const hologram = { type: 'x_hologram', data: { frames: 3 } };

function message(segments: unknown[]) {
  return { message_scene: 'friend', peer_id: 10002, message_seq: 1, sender_id: 10002, time: 1, segments, friend };
}

function collect() {
  const replaced: UnknownMember[] = [];
  const skipped: UnknownMember[] = [];
  const handlers = {
    segment: (unknown: UnknownMember) => {
      replaced.push(unknown);
      return { type: 'text', data: { text: `[${unknown.tag}]` } };
    },
    skipped: (unknown: UnknownMember) => skipped.push(unknown),
  };
  return { replaced, skipped, handlers };
}

describe('applyCompatibility', () => {
  test('unknown segments become what the receiver makes of them, in messages and in the replies they quote', () => {
    const value = {
      messages: [
        message([
          { type: 'text', data: { text: 'a' } },
          hologram,
          { type: 'reply', data: { message_seq: 1, sender_id: 10002, time: 1, segments: [hologram] } },
        ]),
      ],
    };
    expect(apiValidators('get_history_messages', 'lenient').output.check(value)).toBe(true);
    const { replaced, handlers } = collect();
    const out = applyCompatibility(apis.get_history_messages.output, value, handlers);
    expect(out.messages[0]?.segments).toEqual([
      { type: 'text', data: { text: 'a' } },
      { type: 'text', data: { text: '[x_hologram]' } },
      { type: 'reply', data: { message_seq: 1, sender_id: 10002, time: 1, segments: [{ type: 'text', data: { text: '[x_hologram]' } }] } },
    ]);
    expect(replaced.map((unknown) => [unknown.union, unknown.tag, unknown.path, unknown.value])).toEqual([
      ['IncomingSegment', 'x_hologram', 'messages[0].segments[1]', hologram],
      ['IncomingSegment', 'x_hologram', 'messages[0].segments[2].data.segments[0]', hologram],
    ]);
  });

  test('unknown members of other unions inside arrays are left out; known ones and extra fields are kept', () => {
    const known = { type: 'quit', group_id: 20001, notification_seq: 2, target_user_id: 10002, x_extra: true };
    const value = { notifications: [{ type: 'x_transfer_owner', group_id: 20001, anything: 1 }, known] };
    expect(apiValidators('get_group_notifications', 'lenient').output.check(value)).toBe(true);
    const { skipped, handlers } = collect();
    const out = applyCompatibility(apis.get_group_notifications.output, value, handlers);
    expect(out.notifications).toEqual([known]);
    expect(skipped.map((unknown) => [unknown.union, unknown.tag, unknown.path])).toEqual([
      ['GroupNotification', 'x_transfer_owner', 'notifications[0]'],
    ]);
  });

  test('an event: its segments are replaced; an event of an unknown type is kept for the receiver to decide', () => {
    const received = { time: 1, self_id: 10001, event_type: 'message_receive', data: message([hologram]) };
    expect(eventValidator('lenient').check(received)).toBe(true);
    const { handlers } = collect();
    const out = applyCompatibility(Event, received, handlers);
    expect(out.event_type === 'message_receive' && out.data.segments).toEqual([{ type: 'text', data: { text: '[x_hologram]' } }]);
    const unknown = { time: 1, self_id: 10001, event_type: 'x_unknown_event', data: { segments: [hologram] } };
    expect(applyCompatibility(Event, structuredClone(unknown), handlers)).toEqual(unknown);
  });

  test('values with nothing unknown come back as they were', () => {
    const value = { messages: [message([{ type: 'text', data: { text: 'a' } }])], next_message_seq: 3 };
    const { replaced, skipped, handlers } = collect();
    expect(applyCompatibility(apis.get_history_messages.output, structuredClone(value), handlers)).toEqual(value);
    expect([replaced, skipped]).toEqual([[], []]);
  });
});
