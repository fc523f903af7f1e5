import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  apiCategories,
  apis,
  events,
  groupNotifications,
  incomingMessages,
  incomingSegments,
  isApiName,
  milkyVersion,
  outgoingSegments,
} from '../src/index.ts';

const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'spec', 'reference', 'milky.facts.json'), 'utf8'),
) as {
  milkyVersion: string;
  apis: Record<string, { category: string }>;
  history: { events: Record<string, string> };
  schemas: Record<'Event' | 'IncomingSegment' | 'OutgoingSegment', { oneOf: Array<{ properties: Record<string, { const: string }> }> }>;
};

function tags(union: 'Event' | 'IncomingSegment' | 'OutgoingSegment', key: string): string[] {
  return reference.schemas[union].oneOf.map((variant) => variant.properties[key]?.const ?? '').sort();
}

describe('registries', () => {
  test('apis holds exactly the APIs of the reference, each in its category', () => {
    expect(Object.keys(apis).sort()).toEqual(Object.keys(reference.apis).sort());
    for (const [name, api] of Object.entries(apis)) {
      expect(api.name).toBe(name);
      expect(api.category).toBe(reference.apis[name]?.category);
      expect(api.since).toMatch(/^\d+\.\d+$/);
      expect(api.description.length).toBeGreaterThan(10);
    }
    expect(Object.keys(apiCategories)).toEqual(['system', 'message', 'friend', 'group', 'file']);
  });

  test('events holds exactly the event types of the reference, each with its version', () => {
    expect(Object.keys(events).sort()).toEqual(tags('Event', 'event_type'));
    expect(events.message_receive.tag).toBe('message_receive');
    for (const [type, since] of Object.entries(reference.history.events))
      expect(events[type as keyof typeof events].since, type).toBe(since);
  });

  test('segment, message and notification registries', () => {
    expect(Object.keys(incomingSegments).sort()).toEqual(tags('IncomingSegment', 'type'));
    expect(Object.keys(outgoingSegments).sort()).toEqual(tags('OutgoingSegment', 'type'));
    expect(Object.keys(incomingMessages)).toEqual(['friend', 'group', 'temp']);
    expect(Object.keys(groupNotifications).sort()).toEqual(['admin_change', 'invited_join_request', 'join_request', 'kick', 'quit']);
  });

  test('milkyVersion is the protocol version', () => {
    expect(milkyVersion).toBe(reference.milkyVersion);
  });

  test('isApiName knows the APIs and nothing inherited', () => {
    expect(isApiName('send_group_message')).toBe(true);
    expect(isApiName('send_group_msg')).toBe(false);
    expect(isApiName('constructor')).toBe(false);
    expect(isApiName('__proto__')).toBe(false);
  });
});
