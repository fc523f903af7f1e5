// An event as a stream entry: flat string fields, the account in every one.

import type { Event } from '@milky/types';

/** A stream entry read back as an event. */
export interface EventEntry {
  /** The entry id Redis gave it (`<ms>-<n>`). */
  readonly id: string;
  /** The account (QQ number) that received the event. */
  readonly account: number;
  readonly event: Event;
  /** The protocol side's SSE id of the event, when it has one. */
  readonly sourceId: string | undefined;
}

/** The fields appended for an event: `account`, `type`, `event` (its JSON), and `source_id` when known. */
export function entryFields(account: number, event: Event, json: string, sourceId: string | undefined): string[] {
  const fields = ['account', String(account), 'type', event.event_type, 'event', json];
  if (sourceId !== undefined) fields.push('source_id', sourceId);
  return fields;
}

/** An entry's flat field list as a map. */
export function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  return map;
}

/** An entry that is not one of the gateway's events. */
export class EntryError extends Error {
  override name = 'EntryError';
}

/** Reads an entry back; an entry that is not one of the gateway's throws an EntryError naming the field. */
export function decodeEntry(id: string, fields: readonly string[]): EventEntry {
  const map = fieldMap(fields);
  const account = Number(map.get('account'));
  if (!Number.isSafeInteger(account) || account <= 0) {
    throw new EntryError(`entry ${id}: account: expected a QQ number, got ${JSON.stringify(map.get('account') ?? null)}`);
  }
  const json = map.get('event');
  if (json === undefined) throw new EntryError(`entry ${id}: event: missing`);
  let event: Event;
  try {
    event = JSON.parse(json) as Event;
  } catch (error) {
    throw new EntryError(`entry ${id}: event: expected JSON (${(error as Error).message})`);
  }
  if (typeof event !== 'object' || event === null || typeof event.event_type !== 'string') {
    throw new EntryError(`entry ${id}: event: expected an object with an event_type`);
  }
  return { id, account, event, sourceId: map.get('source_id') };
}

/** The group and sequence of a group message, the key of once-per-message delivery. */
export function groupMessageKey(event: Event): { groupId: number; messageSeq: number } | undefined {
  if (event.event_type !== 'message_receive' || event.data.message_scene !== 'group') return undefined;
  return { groupId: event.data.peer_id, messageSeq: event.data.message_seq };
}
