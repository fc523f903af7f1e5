// An example bot: answers "ping" with "pong" to friends, repeats what follows "echo ", and in
// groups answers a mention of it with "help" by listing what it does. Its tests are beside it.

import { MilkyClient } from '@milky/client';
import type { IncomingMessage } from '@milky/types';

/** What the bot says when asked for help. */
export const helpText = 'I answer ping with pong, and echo <text> with <text>.';

/** The text of a message, without its mentions and quotes. */
function plainText(message: IncomingMessage): string {
  return message.segments
    .map((part) => (part.type === 'text' ? part.data.text : ''))
    .join('')
    .trim();
}

/** What the bot answers to `message`, or nothing. */
export function answer(message: IncomingMessage, selfId: number): string | undefined {
  const text = plainText(message);
  const mentioned = message.segments.some((part) => part.type === 'mention' && part.data.user_id === selfId);
  if (message.message_scene === 'group' && !mentioned) return undefined;
  if (text === 'ping') return 'pong';
  if (text.startsWith('echo ')) return text.slice('echo '.length);
  if (text === 'help') return helpText;
  return undefined;
}

/** Starts the bot on a Milky protocol side; close it with `await using` or `disconnect()`. */
export async function startEchoBot(baseUrl: string, accessToken: string): Promise<MilkyClient> {
  const bot = new MilkyClient({ baseUrl, accessToken });
  bot.on('message_receive', (event) => {
    if (event.data.sender_id === event.self_id) return;
    const text = answer(event.data, event.self_id);
    if (text !== undefined) void bot.reply(event, text, { quote: false });
  });
  await bot.connect();
  return bot;
}
