// Waiting for the bot's answer to something said from the command line: the stream is opened
// before the message is sent, so that an answer however quick is seen, and the wait is bounded.

import type { IncomingMessage } from '@milky/types';
import type { SandboxClient } from './client.ts';

/** Most of the bot's messages kept while waiting (they are dropped oldest first). */
const keptReplies = 1000;

/** A chat: its scene and peer, as messages name them. */
export interface Chat {
  readonly scene: IncomingMessage['message_scene'];
  readonly peerId: number;
}

/** The chat a `say` goes to: `group_id`, a temporary chat through `via_group_id`, or the actor's friend chat. */
export function chatOfSay(input: { as: number; group_id?: number; via_group_id?: number }): Chat {
  if (input.group_id !== undefined) return { scene: 'group', peerId: input.group_id };
  return { scene: input.via_group_id === undefined ? 'friend' : 'temp', peerId: input.as };
}

/** Watches the world's messages from now on; `reply()` waits for the bot's first message in a chat after a given one. */
export interface ReplyWatch {
  /** The bot's first message in `chat` after `afterSeq`, or `undefined` when none comes within `timeout` ms. */
  reply(chat: Chat, afterSeq: number, timeout: number): Promise<IncomingMessage | undefined>;
  close(): void;
}

/** Opens the stream, resolving once it is subscribed. */
export async function watchReplies(client: SandboxClient, selfId: number, signal?: AbortSignal): Promise<ReplyWatch> {
  const stop = new AbortController();
  const end = () => stop.abort();
  signal?.addEventListener('abort', end, { once: true });
  const seen: IncomingMessage[] = [];
  const waiters = new Set<() => void>();
  let opened: () => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const open = new Promise<void>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  void (async () => {
    for await (const item of client.stream(stop.signal, opened)) {
      // Only the bot's messages are kept, and only until a reply is taken: the wait is short.
      if (item.kind !== 'message' || item.message.sender_id !== selfId) continue;
      seen.push(item.message);
      // A bot that floods other chats cannot grow this without bound: the oldest go first.
      if (seen.length > keptReplies) seen.shift();
      for (const wake of waiters) wake();
    }
  })().catch(failed);
  await open;
  return {
    reply(chat, afterSeq, timeout) {
      const find = () =>
        seen.find((message) => message.message_scene === chat.scene && message.peer_id === chat.peerId && message.message_seq > afterSeq);
      return new Promise((resolve) => {
        const done = (message: IncomingMessage | undefined) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(message);
        };
        const wake = () => {
          const found = find();
          if (found) done(found);
        };
        const timer = setTimeout(() => done(undefined), timeout);
        stop.signal.addEventListener('abort', () => done(undefined), { once: true });
        waiters.add(wake);
        wake();
      });
    },
    close: () => {
      signal?.removeEventListener('abort', end);
      end();
    },
  };
}
