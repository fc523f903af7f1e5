// Messages as lines of a chat transcript, for failure messages of the test kit: who said what,
// with segments other than text written as short tags.

import type { IncomingMessage, IncomingSegment } from '@milky/types';

/** Display names by QQ number; a number missing from it is written as is. */
export type Names = ReadonlyMap<number, string>;

/** One segment as text: text as is, a mention as `@name`, anything else as a `[tag]`. */
export function segmentText(segment: IncomingSegment, names: Names): string {
  switch (segment.type) {
    case 'text':
      return segment.data.text;
    case 'mention':
      return `@${names.get(segment.data.user_id) ?? segment.data.user_id}`;
    case 'mention_all':
      return '@all';
    case 'face':
      return `[face ${segment.data.face_id}]`;
    case 'reply':
      return `[reply to #${segment.data.message_seq}] `;
    default:
      return `[${segment.type}]`;
  }
}

/** A message's segments as one line of text. */
export function messageText(message: IncomingMessage, names: Names = new Map()): string {
  return message.segments.map((segment) => segmentText(segment, names)).join('');
}

/** Where a message was said, as a phrase: `the friend chat with Alice (10002)`, `group 20001`. */
export function chatName(scene: IncomingMessage['message_scene'], peerId: number, names: Names): string {
  const who = names.has(peerId) ? `${names.get(peerId)} (${peerId})` : String(peerId);
  if (scene === 'group') return `group ${names.get(peerId) ? `${names.get(peerId)} (${peerId})` : peerId}`;
  return scene === 'friend' ? `the friend chat with ${who}` : `the temporary chat with ${who}`;
}

/** Messages as an indented transcript, one `#seq name: text` line each, or a line saying there were none. */
export function transcript(messages: readonly IncomingMessage[], names: Names): string {
  if (messages.length === 0) return '  (no messages)';
  return messages
    .map((message) => `  #${message.message_seq} ${names.get(message.sender_id) ?? message.sender_id}: ${messageText(message, names)}`)
    .join('\n');
}
