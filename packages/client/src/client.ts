// The app side: typed API calls, the event stream, and helpers to answer received messages.

import {
  type ApiMap,
  type ApiName,
  type ApiOutput,
  apis,
  type EventOf,
  type IncomingMessage,
  type SendGroupMessageOutput,
  type SendPrivateMessageOutput,
} from '@milky/types';
import { type CallArgs, Caller, type CallOptions, type Validation } from './call.ts';
import { Compatibility } from './compat.ts';
import { EventConnection, type EventStreamOptions } from './events/connection.ts';
import { MilkyEvents } from './events/emitter.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { type Content, segment, toSegments } from './segments.ts';
import type { ServerInfo } from './server-version.ts';

export interface ClientOptions {
  /** Where the server is: `http://127.0.0.1:3000`, with a path when it serves under one (`https://host/milky`). */
  readonly baseUrl: string | URL;
  /** The server's access token, sent as `Authorization: Bearer`. */
  readonly accessToken?: string | undefined;
  /** Time allowed for an API call, in ms; per call with `timeout`. Default 30 000. */
  readonly timeout?: number | undefined;
  /**
   * How what the server sends (results and events) is checked: `lenient` (the default) takes
   * fields, event types and segment types this version does not know; `strict` takes exactly the
   * protocol (for tests); `off` takes anything that parses.
   */
  readonly validation?: Validation | undefined;
  /**
   * Whether to refuse, without a request, an API that appeared after the server's protocol version
   * (`MilkyUnsupportedApiError`). The version comes from `get_impl_info`, asked once at the first
   * call of an API newer than 1.0. Default true.
   */
  readonly versionCheck?: boolean | undefined;
  /** How `connect()` receives events. */
  readonly events?: EventStreamOptions | undefined;
  readonly logger?: Logger | undefined;
  /** The `fetch` calls and SSE use; the global one by default. */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * Every API as a method named like its endpoint: `client.api.send_group_message({ ... })`.
 * Typed from the protocol; hovering a method shows what the API does.
 */
export type MilkyApi = { readonly [N in keyof ApiMap]: (...args: CallArgs<N>) => Promise<ApiOutput<N>> };

/** A received message, or the `message_receive` event that brought it. */
export type MessageLike = IncomingMessage | EventOf<'message_receive'>;

function messageOf(source: MessageLike): IncomingMessage {
  return 'event_type' in source ? source.data : source;
}

export class MilkyClient extends MilkyEvents {
  /** Every API, as `client.api.<name>(input, options)`. */
  readonly api: MilkyApi;
  private readonly caller: Caller;
  private readonly base: URL;
  private readonly options: ClientOptions;
  private connection: EventConnection | undefined;

  constructor(options: ClientOptions) {
    const validation = options.validation ?? 'lenient';
    const logger = options.logger ?? consoleLogger;
    super({ validation, logger });
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new TypeError(`baseUrl must be an http(s) URL, got ${base.protocol}`);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.base = base;
    this.options = options;
    this.caller = new Caller({
      base,
      token: options.accessToken,
      timeout: options.timeout ?? 30_000,
      validation,
      fetch: options.fetch ?? globalThis.fetch,
      compatibility: new Compatibility(logger),
      versionCheck: options.versionCheck ?? true,
    });
    this.api = Object.freeze(
      Object.fromEntries(
        Object.keys(apis).map((name) => [
          name,
          (input?: unknown, callOptions?: CallOptions) => this.caller.call(name as ApiName, input, callOptions),
        ]),
      ),
    ) as MilkyApi;
  }

  /** Calls an API by name: `client.call('get_group_info', { group_id })`. */
  call<N extends ApiName>(name: N, ...args: CallArgs<N>): Promise<ApiOutput<N>> {
    return this.caller.call(name, args[0], args[1]) as Promise<ApiOutput<N>>;
  }

  /**
   * The server's protocol version and the APIs it therefore has, from its `get_impl_info` (asked
   * once; again with `refresh`). `undefined` when its `milky_version` is not a version.
   */
  server(options: CallOptions & { refresh?: boolean } = {}): Promise<ServerInfo | undefined> {
    return this.caller.serverInfo(options);
  }

  /**
   * Opens the event stream; resolves once it is connected. It then stays open: after a failure it
   * reconnects with backoff (`reconnecting`, then `connected`), until `disconnect()`, a wrong
   * token (401), or `maxAttempts` failures in a row (`disconnected`, with the error).
   */
  connect(options: EventStreamOptions = {}): Promise<void> {
    if (this.connection) throw new Error('already connected; disconnect() first');
    this.connection = new EventConnection({
      base: this.base,
      token: this.options.accessToken,
      options: { ...this.options.events, ...options },
      fetch: this.options.fetch ?? globalThis.fetch,
      logger: this.logger,
      ingest: (raw) => this.ingest(raw),
      notify: (name, ...payload) => (this.emit as (name: string, ...args: unknown[]) => boolean)(name, ...payload),
    });
    const connecting = this.connection.start();
    connecting.catch(() => {
      this.connection = undefined;
    });
    return connecting;
  }

  /** Closes the event stream, and ends the event iterators. */
  async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.stop();
    this.endIterators();
  }

  /** Answers a received message in its chat; `quote` (default true) quotes it. */
  reply(to: MessageLike, content: Content, options: { quote?: boolean } = {}): Promise<SendGroupMessageOutput | SendPrivateMessageOutput> {
    const message = messageOf(to);
    const segments = toSegments(content);
    if (options.quote ?? true) segments.unshift(segment.reply(message.message_seq));
    if (message.message_scene === 'group') return this.api.send_group_message({ group_id: message.peer_id, message: segments });
    return this.api.send_private_message({ user_id: message.peer_id, message: segments });
  }

  /** Recalls a message (the bot's own, or, as an admin, a member's in a group). */
  async recall(message: MessageLike | Pick<IncomingMessage, 'message_scene' | 'peer_id' | 'message_seq'>): Promise<void> {
    const { message_scene, peer_id, message_seq } = 'event_type' in message ? message.data : message;
    if (message_scene === 'group') await this.api.recall_group_message({ group_id: peer_id, message_seq });
    else await this.api.recall_private_message({ user_id: peer_id, message_seq });
  }

  /** Adds (or with `remove`, takes back) a reaction to a group message. */
  async react(to: MessageLike, reaction: string, options: { emoji?: boolean; remove?: boolean } = {}): Promise<void> {
    const message = messageOf(to);
    if (message.message_scene !== 'group') throw new TypeError('reactions exist on group messages only');
    await this.api.send_group_message_reaction({
      group_id: message.peer_id,
      message_seq: message.message_seq,
      reaction,
      reaction_type: options.emoji ? 'emoji' : 'face',
      is_add: !options.remove,
    });
  }

  /** Disconnects (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }
}
