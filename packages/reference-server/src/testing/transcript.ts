// Messages as lines of a chat transcript, for failure messages of the test kit: who said what,
// with segments other than text written as short tags.

import type { IncomingMessage } from '@milky/types';
import { messageText, type Names } from '../sandbox/message-text.ts';

export { messageText, type Names };

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
