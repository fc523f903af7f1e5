// Messages, a domain service: the one send path (defaults, resources read outside the transaction,
// then one change), outgoing segments turned into what receivers see, per-chat sequence numbers,
// recall rules, history pages, forwarded bundles and read marks.

import {
  applyDefaults,
  type IncomingForwardedMessage,
  type IncomingMessage,
  type IncomingSegment,
  type IncomingSegmentType,
  incomingSegments,
  MilkyApiError,
  OutgoingSegment,
  type OutgoingSegment as OutgoingSegmentInput,
  type OutgoingSegmentResolved,
  type OutgoingSegmentType,
  outgoingSegments,
  retcodes,
} from '@milky/types';
import { invalidArgument, notFound, permissionDenied } from '../errors.ts';
import type { Outbox, Transactions } from './outbox.ts';
import type { Loaded, MediaReader } from './reader.ts';
import { type Links, newId, type ResourceStore } from './resources.ts';
import { maxForwardDepth, requireMaySpeak, requireOutranks, requireRole } from './rules.ts';
import { displayName, type Scene, type Standing, type Store } from './store.ts';

/** Segment types a message can be received with but that apps cannot send (market faces, XML cards, Markdown). */
export type IncomingOnlySegmentType = Exclude<IncomingSegmentType, OutgoingSegmentType>;

/** Whether a segment type is received only: the protocol has it as incoming and not as outgoing. */
export function isIncomingOnly(type: unknown): type is IncomingOnlySegmentType {
  return typeof type === 'string' && Object.hasOwn(incomingSegments, type) && !Object.hasOwn(outgoingSegments, type);
}

/** Segments as a send takes them: outgoing ones with or without their defaults, or incoming-only ones. */
export type SegmentInput = OutgoingSegmentInput | Extract<IncomingSegment, { type: IncomingOnlySegmentType }>;

/**
 * What a sender may put in a message: any outgoing segment, and, for people other than the bot
 * (the sandbox), the incoming-only segments as receivers see them.
 */
export type SendableSegment = OutgoingSegmentResolved | Extract<IncomingSegment, { type: IncomingOnlySegmentType }>;

/** Outgoing segments whose resources have been read, ready to be stored. */
export interface PreparedMessage {
  readonly segments: readonly SendableSegment[];
  /** The bytes of each image, record and video segment, by its `data` object. */
  readonly loaded: ReadonlyMap<object, Loaded>;
  /** The bytes of each video's thumbnail, by the video's `data` object. */
  readonly thumbs: ReadonlyMap<object, Loaded>;
}

interface MessageRow {
  scene: Scene;
  peer_id: number;
  seq: number;
  sender_id: number;
  time: number;
  segments: string;
  via_group: number | null;
  recalled: number;
}

/** What a send answers: the message's sequence number in its chat and its time. */
export interface SendResult {
  message_seq: number;
  time: number;
}

/** Where a message goes, and through which group a temporary chat runs. */
export interface Chat {
  readonly scene: Scene;
  readonly peerId: number;
  readonly viaGroup?: number | undefined;
}

/** The segments `prepare` visits: their resources are loaded, or their nesting checked. */
const loadingTypes: ReadonlySet<SendableSegment['type']> = new Set(['image', 'record', 'video', 'forward']);

const withoutUris = (key: string, value: unknown) => (key === 'uri' || key === 'thumb_uri' ? undefined : value);

/**
 * The bytes a message takes as JSON, leaving out the URIs of the resources it carries (read and
 * stored apart). Only resources (nested in forwarded ones too) carry URIs: `loads` says whether any
 * segment is one, and a message without them skips the replacer.
 */
function messageBytes(segments: readonly SendableSegment[], loads: boolean): number {
  return Buffer.byteLength(loads ? JSON.stringify(segments, withoutUris) : JSON.stringify(segments));
}

/**
 * A bound above `messageBytes`, found without serializing: a character of a string takes at most
 * 6 bytes of JSON (`\u001f`), a number, boolean or null at most 24, and each key, bracket, quote,
 * colon and comma is counted. A message far under the limit is not serialized to be measured.
 */
function jsonBytesAtMost(value: unknown, key?: string): number {
  if (key === 'uri' || key === 'thumb_uri') return 0;
  switch (typeof value) {
    case 'string':
      return 6 * value.length + 2;
    case 'object': {
      if (value === null) return 4;
      let bytes = 2;
      if (Array.isArray(value)) for (const item of value) bytes += jsonBytesAtMost(item) + 1;
      else for (const [name, item] of Object.entries(value)) bytes += 6 * name.length + 4 + jsonBytesAtMost(item, name);
      return bytes;
    }
    default:
      return 24;
  }
}

/** A short text form of segments, as QQ shows in previews and notifications. */
export function summarize(segments: readonly IncomingSegment[]): string {
  return segments
    .map((segment) => {
      switch (segment.type) {
        case 'text':
          return segment.data.text;
        case 'mention':
          return `@${segment.data.name}`;
        case 'mention_all':
          return '@全体成员';
        case 'face':
          return '[表情]';
        case 'reply':
          return '';
        case 'image':
          return segment.data.summary;
        case 'record':
          return '[语音]';
        case 'video':
          return '[视频]';
        case 'file':
          return `[文件] ${segment.data.file_name}`;
        case 'forward':
          return '[聊天记录]';
        case 'market_face':
          return segment.data.summary;
        case 'light_app':
          return '[卡片消息]';
        case 'xml':
          return '[XML消息]';
        case 'markdown':
          return segment.data.content;
        default:
          return '';
      }
    })
    .join('');
}

/** The limits of messages. */
export interface MessageLimits {
  /** Largest message accepted, in bytes of its segments as JSON. */
  readonly maxMessageBytes: number;
  /** Most bytes of messages in one history page. */
  readonly maxHistoryBytes: number;
  /** Also send `message_receive` for the messages the bot account sends. */
  readonly reportSelfMessages: boolean;
}

/** What `Messages` uses: the rows, the transactions, stored resources and their links, reading URIs, and its limits. */
export interface MessagesDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly links: Links;
  readonly reader: MediaReader;
  readonly limits: MessageLimits;
}

/** Who sends: the account, and in a group their membership, read once per send. */
export interface Sender {
  readonly actor: number;
  readonly member: Standing | undefined;
  readonly viaGroup: number | undefined;
  /** When the sender last sent into the group (its member row's `last_sent_time`); for groups only. */
  readonly lastSent?: number;
}

/** Options of a send. */
export interface SendOptions {
  /** The field the segments came in, for errors. Default `message`. */
  readonly field?: string | undefined;
  /** The time of the message, in Unix seconds. Default: now. */
  readonly time?: number | undefined;
}

/**
 * Messages: the one send path (`post` = `prepare` + `send`), the chat rules of who may send, and
 * reading history, recalls and read marks back.
 */
export class Messages {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly resources: ResourceStore;
  private readonly links: Links;
  private readonly reader: MediaReader;
  private readonly limits: MessageLimits;

  constructor(deps: MessagesDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.resources = deps.resources;
    this.links = deps.links;
    this.reader = deps.reader;
    this.limits = deps.limits;
  }

  /**
   * The send path: `actor` sends segments into a chat. Defaults are applied and resources read
   * outside the transaction (a message that must wait for a download is first checked to have a
   * chat to go to, so that a doomed send downloads nothing); then `send` checks the sender and
   * commits.
   */
  async post(actor: number, chat: Chat, segments: readonly SegmentInput[], options: SendOptions = {}): Promise<SendResult> {
    const field = options.field ?? 'message';
    const prepared = await this.prepare(segments, field, () => this.requireChat(chat.scene, chat.peerId));
    return this.send(actor, chat, prepared, field, options.time);
  }

  /**
   * Applies the protocol's defaults to outgoing segments (in place) and reads every resource they
   * name (outside any transaction: it may download). `check`, when given, runs first when the
   * message names resources or may be refused here (empty, or forwarded messages nested too deep),
   * before waiting for anything. A message of text, mentions, faces and replies needs no waiting,
   * and is checked only by the send.
   */
  async prepare(input: readonly SegmentInput[], field: string, check?: () => void): Promise<PreparedMessage> {
    const segments = input.map((segment) =>
      isIncomingOnly(segment.type)
        ? (segment as SendableSegment)
        : (applyDefaults(OutgoingSegment, segment as OutgoingSegmentInput) as SendableSegment),
    );
    const loads = segments.some((segment) => loadingTypes.has(segment.type));
    if (check && (segments.length === 0 || loads)) check();
    const loaded = new Map<object, Loaded>();
    const thumbs = new Map<object, Loaded>();
    const load = async (into: Map<object, Loaded>, data: object, uri: string, at: string, image: boolean) => {
      into.set(data, await this.reader.read(uri, at, image));
    };
    const visit = async (list: readonly SendableSegment[], at: string, depth: number): Promise<void> => {
      if (depth > maxForwardDepth) throw invalidArgument(at, `forwarded messages nest at most ${maxForwardDepth} deep`);
      const work: Promise<void>[] = [];
      list.forEach((segment, index) => {
        const here = `${at}[${index}].data`;
        switch (segment.type) {
          case 'image':
            work.push(load(loaded, segment.data, segment.data.uri, `${here}.uri`, true));
            break;
          case 'record':
            work.push(load(loaded, segment.data, segment.data.uri, `${here}.uri`, false));
            break;
          case 'video': {
            const { thumb_uri } = segment.data;
            work.push(load(loaded, segment.data, segment.data.uri, `${here}.uri`, false));
            if (thumb_uri) work.push(load(thumbs, segment.data, thumb_uri, `${here}.thumb_uri`, true));
            break;
          }
          case 'forward':
            segment.data.messages.forEach((message, m) => {
              work.push(visit(message.segments, `${here}.messages[${m}].segments`, depth + 1));
            });
            break;
        }
      });
      await Promise.all(work);
    };
    if (segments.length === 0) throw invalidArgument(field, 'a message needs at least one segment');
    const { maxMessageBytes } = this.limits;
    const bytes = jsonBytesAtMost(segments) <= maxMessageBytes ? 0 : messageBytes(segments, loads);
    if (bytes > maxMessageBytes) {
      throw new MilkyApiError(
        retcodes.invalidInput,
        `${field}: the message is ${bytes} bytes, more than the ${maxMessageBytes}-byte limit of a message (maxMessageBytes)`,
      );
    }
    // Text, mentions, faces and replies name nothing to read: no visit, no promise per segment.
    if (loads) await visit(segments, field, 0);
    return { segments, loaded, thumbs };
  }

  /**
   * Commits a prepared message from `actor` into a chat, in one change (joining the change running
   * now, if any); see `checkSender` for who may. The sender is checked here, once.
   */
  send(actor: number, chat: Chat, prepared: PreparedMessage, field = 'message', time = this.store.now()): SendResult {
    return this.tx.change((outbox) => {
      const sender = this.checkSender(actor, chat);
      const segments = this.toIncoming(prepared, prepared.segments, chat, sender, field, true);
      return this.append(actor, chat, sender.viaGroup, segments, outbox, time, sender.lastSent);
    });
  }

  /**
   * Stores incoming segments as a new message (used by sends and by file uploads, whose message
   * is a file segment). Call inside a change. In a group, the sender's `last_sent_time` becomes
   * `time`; `lastSent`, when known, is its value now (a row already at `time` is not written again).
   */
  append(
    actor: number,
    chat: Chat,
    viaGroup: number | undefined,
    segments: IncomingSegment[],
    outbox: Outbox,
    time = this.store.now(),
    lastSent?: number,
  ): SendResult {
    const { db } = this.store;
    // The next seq of the chat: one seek to the end of its key in the index. (An `INSERT … SELECT
    // MAX(seq)` from the same table costs twice as much: SQLite copies the row through a temporary table.)
    const last = db.get<{ seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM messages WHERE scene = ? AND peer_id = ?',
      chat.scene,
      chat.peerId,
    );
    const seq = (last?.seq ?? 0) + 1;
    db.run(
      'INSERT INTO messages (scene, peer_id, seq, sender_id, time, segments, via_group) VALUES (?, ?, ?, ?, ?, ?, ?)',
      chat.scene,
      chat.peerId,
      seq,
      actor,
      time,
      JSON.stringify(segments),
      viaGroup ?? null,
    );
    if (chat.scene === 'group' && lastSent !== time)
      db.run('UPDATE members SET last_sent_time = ? WHERE group_id = ? AND user_id = ?', time, chat.peerId, actor);
    let rendered: IncomingMessage | undefined;
    const render = () => {
      rendered ??= this.render(this.row(chat.scene, chat.peerId, seq) as MessageRow);
      return rendered;
    };
    if (actor !== this.store.selfId || this.limits.reportSelfMessages) outbox.emit('message_receive', render());
    outbox.stored(render);
    return { message_seq: seq, time };
  }

  /**
   * Checks that `actor` may send into the chat: friend chats, the bot or that friend; groups, any
   * member who may speak (see `requireMaySpeak`); temporary chats, the bot and a user who share
   * the group named. Returns the sender with their membership of the group, and the group a
   * temporary chat runs through.
   */
  checkSender(actor: number, chat: Chat): Sender {
    const { store } = this;
    const self = store.selfId;
    switch (chat.scene) {
      case 'friend':
        store.requireFriend(chat.peerId);
        if (actor !== self && actor !== chat.peerId) throw permissionDenied(`${actor} is not part of the chat with ${chat.peerId}`);
        return { actor, member: undefined, viaGroup: undefined };
      case 'group': {
        const { group, member, lastSent } = store.speaker(chat.peerId, actor);
        requireMaySpeak(group, member, store.now());
        return { actor, member, viaGroup: undefined, lastSent };
      }
      case 'temp': {
        store.requireUser(chat.peerId);
        if (actor !== self && actor !== chat.peerId) throw permissionDenied(`${actor} is not part of the chat with ${chat.peerId}`);
        const viaGroup = chat.viaGroup ?? this.lastVia(chat.peerId);
        if (viaGroup === undefined) throw invalidArgument('group_id', `a temporary chat with ${chat.peerId} needs a group both are in`);
        store.requireGroup(viaGroup);
        store.requireMember(viaGroup, chat.peerId);
        return { actor, member: undefined, viaGroup };
      }
    }
  }

  private lastVia(peerId: number): number | undefined {
    const row = this.store.db.get<{ via_group: number | null }>(
      "SELECT via_group FROM messages WHERE scene = 'temp' AND peer_id = ? ORDER BY seq DESC LIMIT 1",
      peerId,
    );
    return row?.via_group ?? undefined;
  }

  /** Turns outgoing segments into incoming ones, storing their resources and forwarded bundles. */
  private toIncoming(
    prepared: PreparedMessage,
    segments: readonly SendableSegment[],
    chat: Chat,
    sender: Sender,
    field: string,
    top: boolean,
  ): IncomingSegment[] {
    const { actor } = sender;
    const { store } = this;
    const groupId = chat.scene === 'group' ? chat.peerId : undefined;
    return segments.map((segment, index): IncomingSegment => {
      const here = `${field}[${index}].data`;
      if (isIncomingOnly(segment.type)) {
        if (actor === store.selfId) throw invalidArgument(`${field}[${index}].type`, `the bot cannot send ${segment.type} segments`);
        return segment as IncomingSegment;
      }
      switch (segment.type) {
        case 'text':
          return { type: 'text', data: { text: segment.data.text } };
        case 'mention': {
          const userId = segment.data.user_id;
          const names = store.names(groupId, userId);
          if (!names) throw invalidArgument(`${here}.user_id`, `no user ${userId}`);
          if (groupId === undefined) return { type: 'mention', data: { user_id: userId, name: names.nickname } };
          if (names.card === null) throw invalidArgument(`${here}.user_id`, `${userId} is not a member of group ${groupId}`);
          return { type: 'mention', data: { user_id: userId, name: names.card || names.nickname } };
        }
        case 'mention_all': {
          if (groupId === undefined || !top) throw invalidArgument(`${field}[${index}]`, 'mention_all is only for group messages');
          requireRole(sender.member ?? store.requireMember(groupId, actor), 'admin', 'mentioning everyone');
          return { type: 'mention_all', data: {} };
        }
        case 'face':
          return { type: 'face', data: { face_id: segment.data.face_id, is_large: segment.data.is_large } };
        case 'reply': {
          if (!top) throw invalidArgument(`${field}[${index}]`, 'a forwarded message cannot reply');
          // The quoted message and its sender's names (as `Store.displayName` reads them), in one statement.
          const target = this.store.db.get<
            Pick<MessageRow, 'seq' | 'sender_id' | 'time' | 'segments' | 'recalled'> & { nickname: string | null; card: string | null }
          >(
            'SELECT m.seq, m.sender_id, m.time, m.segments, m.recalled, u.nickname, g.card FROM messages m ' +
              'LEFT JOIN users u ON u.user_id = m.sender_id LEFT JOIN members g ON g.group_id = ? AND g.user_id = m.sender_id ' +
              'WHERE m.scene = ? AND m.peer_id = ? AND m.seq = ?',
            groupId ?? null,
            chat.scene,
            chat.peerId,
            segment.data.message_seq,
          );
          if (!target || target.recalled) throw notFound(`${here}.message_seq: no message ${segment.data.message_seq} in this chat`);
          const quoted = (JSON.parse(target.segments) as IncomingSegment[]).filter((part) => part.type !== 'reply');
          return {
            type: 'reply',
            data: {
              message_seq: target.seq,
              sender_id: target.sender_id,
              sender_name: displayName(target, target.sender_id),
              time: target.time,
              segments: quoted,
            },
          };
        }
        case 'image': {
          const { info, stored } = this.storeLoaded(prepared, segment.data, 'image');
          const summary = segment.data.summary ?? (segment.data.sub_type === 'sticker' ? '[动画表情]' : '[图片]');
          return {
            type: 'image',
            data: { resource_id: stored, temp_url: '', width: info.width, height: info.height, summary, sub_type: segment.data.sub_type },
          };
        }
        case 'record': {
          const { info, stored } = this.storeLoaded(prepared, segment.data, 'record');
          return { type: 'record', data: { resource_id: stored, temp_url: '', duration: info.duration } };
        }
        case 'video': {
          const { info, stored } = this.storeLoaded(prepared, segment.data, 'video');
          const thumb = prepared.thumbs.get(segment.data);
          if (thumb) this.resources.put(thumb.data, 'image', thumb.info);
          return {
            type: 'video',
            data: { resource_id: stored, temp_url: '', width: info.width, height: info.height, duration: info.duration },
          };
        }
        case 'forward': {
          const now = store.now();
          const messages: IncomingForwardedMessage[] = segment.data.messages.map((message, m) => ({
            message_seq: m + 1,
            sender_name: message.sender_name,
            avatar_url: this.links.avatar('user', message.user_id),
            time: message.time ?? now,
            segments: this.toIncoming(prepared, message.segments, chat, sender, `${here}.messages[${m}].segments`, false),
          }));
          if (messages.length === 0) throw invalidArgument(`${here}.messages`, 'a forwarded bundle needs at least one message');
          const forwardId = newId('fwd_');
          store.db.insert('forwards', { forward_id: forwardId, messages: JSON.stringify(messages) });
          const preview = messages.slice(0, 4).map((message) => `${message.sender_name}: ${summarize(message.segments)}`);
          return {
            type: 'forward',
            data: {
              forward_id: forwardId,
              title: segment.data.title ?? (groupId === undefined ? '聊天记录' : '群聊的聊天记录'),
              preview: segment.data.preview ?? preview,
              summary: segment.data.summary ?? `查看${messages.length}条转发消息`,
            },
          };
        }
        case 'light_app': {
          let app: unknown;
          try {
            app = (JSON.parse(segment.data.json_payload) as { app?: unknown } | null)?.app;
          } catch {
            throw invalidArgument(`${here}.json_payload`, 'expected a JSON object');
          }
          if (typeof app !== 'string')
            throw invalidArgument(`${here}.json_payload`, 'expected a JSON object with an "app" string naming the mini-app');
          return { type: 'light_app', data: { app_name: app, json_payload: segment.data.json_payload } };
        }
        default:
          throw invalidArgument(`${field}[${index}].type`, `unknown segment type ${JSON.stringify((segment as { type: unknown }).type)}`);
      }
    });
  }

  private storeLoaded(prepared: PreparedMessage, data: object, kind: 'image' | 'record' | 'video') {
    const loaded = prepared.loaded.get(data);
    if (!loaded) throw new Error('a resource was not prepared before sending');
    return { info: loaded.info, stored: this.resources.put(loaded.data, kind, loaded.info).resourceId };
  }

  private row(scene: Scene, peerId: number, seq: number): MessageRow | undefined {
    return this.store.db.get<MessageRow>('SELECT * FROM messages WHERE scene = ? AND peer_id = ? AND seq = ?', scene, peerId, seq);
  }

  /** Fails unless the bot can see the chat: a friend, a group it is in, or a temporary chat with a user. */
  private requireChat(scene: Scene, peerId: number): void {
    if (scene === 'friend') this.store.requireFriend(peerId);
    else if (scene === 'group') this.store.requireBotIn(peerId);
    else this.store.requireUser(peerId);
  }

  private requireMessage(scene: Scene, peerId: number, seq: number): MessageRow {
    this.requireChat(scene, peerId);
    const row = this.row(scene, peerId, seq);
    if (!row || row.recalled) throw notFound(`no message ${seq} in the ${scene} chat with ${peerId}`);
    return row;
  }

  /** A message as the protocol shows it, with fresh temporary links to its resources. */
  render(row: MessageRow): IncomingMessage {
    const { store } = this;
    const segments = this.withLinks(JSON.parse(row.segments) as IncomingSegment[]);
    const base = { peer_id: row.peer_id, message_seq: row.seq, sender_id: row.sender_id, time: row.time, segments };
    if (row.scene === 'friend') return { message_scene: 'friend', ...base, friend: store.friendEntity(row.peer_id) };
    if (row.scene === 'group') {
      return {
        message_scene: 'group',
        ...base,
        group: store.groupEntity(row.peer_id),
        group_member: store.senderEntity(row.peer_id, row.sender_id),
      };
    }
    const via = row.via_group ?? undefined;
    return {
      message_scene: 'temp',
      ...base,
      ...(via !== undefined && store.member(via, store.selfId) ? { group: store.groupEntity(via) } : {}),
    };
  }

  /** Fills the temporary links of image, record and video segments (in replies too). */
  withLinks(segments: IncomingSegment[]): IncomingSegment[] {
    for (const segment of segments) {
      if (segment.type === 'image' || segment.type === 'record' || segment.type === 'video') {
        segment.data.temp_url = this.links.signed('media', segment.data.resource_id);
      } else if (segment.type === 'reply') this.withLinks(segment.data.segments);
    }
    return segments;
  }

  get(scene: Scene, peerId: number, seq: number): IncomingMessage {
    return this.render(this.requireMessage(scene, peerId, seq));
  }

  /** A page of history going back from `start` (the newest when absent), oldest first. */
  history(
    scene: Scene,
    peerId: number,
    start: number | undefined,
    limit: number,
  ): { messages: IncomingMessage[]; next_message_seq?: number } {
    this.requireChat(scene, peerId);
    const { db } = this.store;
    const from = start ?? Number.MAX_SAFE_INTEGER;
    const rows = db.all<MessageRow>(
      'SELECT * FROM messages WHERE scene = ? AND peer_id = ? AND seq <= ? AND recalled = 0 ORDER BY seq DESC LIMIT ?',
      scene,
      peerId,
      from,
      limit,
    );
    // Newest first: as many as fit in the answer's bytes, at least one.
    let bytes = 0;
    const fitting = rows.findIndex((row, index) => {
      bytes += Buffer.byteLength(row.segments);
      return index > 0 && bytes > this.limits.maxHistoryBytes;
    });
    if (fitting > 0) rows.length = fitting;
    rows.reverse();
    const oldest = rows[0]?.seq ?? from;
    const next = db.get<{ seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM messages WHERE scene = ? AND peer_id = ? AND seq < ? AND recalled = 0',
      scene,
      peerId,
      oldest,
    )?.seq;
    const messages = rows.map((row) => this.render(row));
    return next === null || next === undefined || rows.length === 0 ? { messages } : { messages, next_message_seq: next };
  }

  /**
   * Recalls a message. Anyone may recall their own; in a group, admins recall members' messages
   * and the owner recalls anyone's.
   */
  recall(actor: number, scene: Scene, peerId: number, seq: number): void {
    this.tx.change((outbox) => {
      const row = this.requireMessage(scene, peerId, seq);
      if (row.sender_id !== actor) {
        if (scene !== 'group') throw permissionDenied(`only the sender can recall message ${seq} in a ${scene} chat`);
        const operator = this.store.actorIn(peerId, actor);
        const sender = this.store.member(peerId, row.sender_id);
        if (sender) requireOutranks(operator, sender, `recalling a message of ${row.sender_id}`);
        else requireRole(operator, 'admin', `recalling a message of ${row.sender_id}`);
      }
      this.store.db.run('UPDATE messages SET recalled = 1 WHERE scene = ? AND peer_id = ? AND seq = ?', scene, peerId, seq);
      outbox.emit('message_recall', {
        message_scene: scene,
        peer_id: peerId,
        message_seq: seq,
        sender_id: row.sender_id,
        operator_id: actor,
        display_suffix: '',
      });
    });
  }

  forwarded(forwardId: string): IncomingForwardedMessage[] {
    const row = this.store.db.get<{ messages: string }>('SELECT messages FROM forwards WHERE forward_id = ?', forwardId);
    if (!row) throw notFound(`no forwarded bundle ${JSON.stringify(forwardId)}`);
    const messages = JSON.parse(row.messages) as IncomingForwardedMessage[];
    for (const message of messages) this.withLinks(message.segments);
    return messages;
  }

  markRead(scene: Scene, peerId: number, seq: number): void {
    this.tx.change(() => {
      this.requireMessage(scene, peerId, seq);
      this.store.db.run(
        'INSERT INTO read_marks (scene, peer_id, seq) VALUES (?, ?, ?) ON CONFLICT (scene, peer_id) DO UPDATE SET seq = MAX(seq, excluded.seq)',
        scene,
        peerId,
        seq,
      );
    });
  }

  /** The newest message the bot has read in a chat, 0 when none. */
  readMark(scene: Scene, peerId: number): number {
    return this.store.db.get<{ seq: number }>('SELECT seq FROM read_marks WHERE scene = ? AND peer_id = ?', scene, peerId)?.seq ?? 0;
  }
}
