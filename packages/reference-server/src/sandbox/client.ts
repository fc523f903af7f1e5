// A typed client of the sandbox's control API, for end-to-end tests of bots: play anyone in the
// reference server's world, and watch what happens there.

import { type Event, type IncomingMessage, type IncomingSegmentOf, MilkyApiError, type OutgoingSegment } from '@milky/types';
import type { IncomingOnlySegmentType } from '../world/messages.ts';
import type { ActionInput, ActionName, ActionOutput } from './actions.ts';

/** Options of a `SandboxClient`. */
export interface SandboxClientOptions {
  /** Where the reference server listens, such as `http://127.0.0.1:3000` (not its Milky prefix). */
  readonly url: string | URL;
  /** The control token the server printed. */
  readonly token: string;
  /** The fetch to use; the runtime's by default. */
  readonly fetch?: typeof fetch;
}

/** Where a message goes: a group, a temporary chat through a group, or (neither) the actor's chat with the bot. */
export interface Where {
  readonly group?: number;
  readonly via?: number;
}

/** Text, or segments: outgoing ones, and the incoming-only ones (market faces, XML cards, Markdown). */
export type SayContent = string | ReadonlyArray<OutgoingSegment | IncomingSegmentOf<IncomingOnlySegmentType>>;

/** What the stream carries: the events the bot gets, and every message stored (the bot's own too). */
export type StreamItem =
  | { readonly kind: 'milky'; readonly event: Event }
  | { readonly kind: 'message'; readonly message: IncomingMessage };

function where(to: Where | undefined): { group_id?: number; via_group_id?: number } {
  return { ...(to?.group === undefined ? {} : { group_id: to.group }), ...(to?.via === undefined ? {} : { via_group_id: to.via }) };
}

/** `uri` for an upload: a URI as is, or bytes as `base64://`. */
function toUri(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : `base64://${Buffer.from(content).toString('base64')}`;
}

/** A typed client of the sandbox's control API: plays everyone other than the bot (`as(userId)`), changes the world, and streams what happens. */
export class SandboxClient {
  private readonly base: string;
  private readonly token: string;
  private readonly fetcher: typeof fetch;

  constructor(options: SandboxClientOptions) {
    this.base = String(options.url).replace(/\/+$/, '');
    this.token = options.token;
    this.fetcher = options.fetch ?? fetch;
  }

  /** Runs one action; a failure throws a `MilkyApiError` with the world's retcode. */
  async run<N extends ActionName>(name: N, input: ActionInput<N>): Promise<ActionOutput<N>> {
    const response = await this.fetcher(`${this.base}/control/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(input),
    });
    const body = (await response.json().catch(() => undefined)) as
      | { status?: string; retcode?: number; message?: string; data?: unknown }
      | undefined;
    if (response.status !== 200 || body?.status !== 'ok') {
      throw new MilkyApiError(body?.retcode || response.status, body?.message ?? `HTTP ${response.status}`, { api: name });
    }
    return body.data as ActionOutput<N>;
  }

  /** Actions played by one account. */
  as(userId: number) {
    const as = userId;
    return {
      /** Sends text or segments: to the actor's chat with the bot, or `{ group }`, or `{ via }` (a temporary chat). */
      say: (content: SayContent, to?: Where) =>
        this.run('say', {
          as,
          ...where(to),
          segments: typeof content === 'string' ? [{ type: 'text', data: { text: content } }] : [...content],
        }),
      /** Recalls the message `messageSeq` of the chat. */
      recall: (messageSeq: number, to?: Where) => this.run('recall', { as, ...where(to), message_seq: messageSeq }),
      /** Nudges the bot in the friend chat, or `target` (the bot by default) in `group`. */
      nudge: (options: { group?: number; target?: number } = {}) =>
        this.run('nudge', {
          as,
          ...(options.group === undefined ? {} : { group_id: options.group }),
          ...(options.target === undefined ? {} : { user_id: options.target }),
        }),
      /** Asks the bot to be friends. */
      requestFriendship: (comment = '', options: { via?: string; filtered?: boolean } = {}) =>
        this.run('friend_request', { as, comment, ...options }),
      /** Asks to join `group`. */
      requestJoin: (group: number, comment = '', options: { filtered?: boolean } = {}) =>
        this.run('join_request', { as, group_id: group, comment, ...options }),
      /** Invites `user` into `group`. */
      invite: (group: number, user: number) => this.run('invite', { as, group_id: group, user_id: user }),
      /** Invites the bot into `group`. */
      inviteBot: (group: number, sourceGroup?: number) =>
        this.run('invite_bot', { as, group_id: group, ...(sourceGroup === undefined ? {} : { source_group_id: sourceGroup }) }),
      /** Joins `group`. */
      join: (group: number) => this.run('join', { as, group_id: group }),
      /** Leaves `group`. */
      leave: (group: number) => this.run('leave', { as, group_id: group }),
      /** Disbands a group the actor owns; the bot gets `group_disband`. */
      disband: (group: number) => this.run('disband', { as, group_id: group }),
      /** Kicks `user` out of `group`; `block` keeps them from asking again. */
      kick: (group: number, user: number, block = false) => this.run('kick', { as, group_id: group, user_id: user, block }),
      /** Mutes `user` in `group` for `seconds` (0 lifts it). */
      mute: (group: number, user: number, seconds: number) => this.run('mute', { as, group_id: group, user_id: user, duration: seconds }),
      /** Mutes the whole of `group`, or lifts it. */
      wholeMute: (group: number, on = true) => this.run('whole_mute', { as, group_id: group, on }),
      /** Renames `group`. */
      renameGroup: (group: number, name: string) => this.run('rename_group', { as, group_id: group, name }),
      /** Makes `user` an admin of `group`, or no longer one. */
      setAdmin: (group: number, user: number, isSet = true) => this.run('set_admin', { as, group_id: group, user_id: user, is_set: isSet }),
      /** Marks the message `messageSeq` of `group` as essence, or no longer. */
      essence: (group: number, messageSeq: number, isSet = true) =>
        this.run('essence', { as, group_id: group, message_seq: messageSeq, is_set: isSet }),
      /** Reacts to the message `messageSeq` of `group`. */
      react: (group: number, messageSeq: number, reaction: string, options: { emoji?: boolean; remove?: boolean } = {}) =>
        this.run('react', {
          as,
          group_id: group,
          message_seq: messageSeq,
          reaction,
          reaction_type: options.emoji ? 'emoji' : 'face',
          is_add: !options.remove,
        }),
      /** Uploads a file (a URI, or its bytes) to `{ group }`, or sends it in the actor's chat with the bot. */
      upload: (name: string, content: string | Uint8Array, to?: { group?: number; folder?: string }) =>
        this.run('upload', {
          as,
          name,
          uri: toUri(content),
          ...(to?.group === undefined ? {} : { group_id: to.group }),
          ...(to?.folder === undefined ? {} : { folder_id: to.folder }),
        }),
    };
  }

  /**
   * The world and its stream: events as the bot gets them, and every message stored. Ends with
   * `signal`; `onOpen` is called once the server has subscribed it, so that nothing after is missed.
   */
  async *stream(signal?: AbortSignal, onOpen?: () => void): AsyncGenerator<StreamItem> {
    const response = await this.fetcher(`${this.base}/control/stream`, {
      headers: { authorization: `Bearer ${this.token}` },
      ...(signal ? { signal } : {}),
    });
    if (response.status !== 200 || !response.body)
      throw new MilkyApiError(response.status, `the stream answered HTTP ${response.status}`, { api: 'stream' });
    onOpen?.();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const kind = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data === undefined) continue;
          if (kind === 'milky') yield { kind: 'milky', event: JSON.parse(data) as Event };
          else if (kind === 'message') yield { kind: 'message', message: JSON.parse(data) as IncomingMessage };
        }
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
  }
}
