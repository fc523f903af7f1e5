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
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'spec', 'reference', 'milky-1.2.2.facts.json'), 'utf8'),
) as {
  milkyVersion: string;
  apis: Record<string, { category: string }>;
  schemas: { Event: { oneOf: Array<{ properties: { event_type: { const: string } } }> } };
};

describe('registries', () => {
  test('apis holds exactly the 64 APIs of the reference, each in its category', () => {
    expect(Object.keys(apis).sort()).toEqual(Object.keys(reference.apis).sort());
    for (const [name, api] of Object.entries(apis)) {
      expect(api.name).toBe(name);
      expect(api.category).toBe(reference.apis[name]?.category);
      expect(api.since).toMatch(/^\d+\.\d+$/);
      expect(api.description.length).toBeGreaterThan(10);
    }
    expect(Object.keys(apiCategories)).toEqual(['system', 'message', 'friend', 'group', 'file']);
  });

  test('events holds exactly the 20 event types of the reference', () => {
    const types = reference.schemas.Event.oneOf.map((variant) => variant.properties.event_type.const);
    expect(Object.keys(events).sort()).toEqual(types.sort());
    expect(events.message_receive.tag).toBe('message_receive');
    expect(events.peer_pin_change.since).toBe('1.2');
  });

  test('segment, message and notification registries', () => {
    expect(Object.keys(incomingSegments)).toHaveLength(13);
    expect(Object.keys(outgoingSegments)).toHaveLength(10);
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
