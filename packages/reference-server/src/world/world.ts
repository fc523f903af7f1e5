// The simulated QQ world, seen from the bot account: its people, friends, groups, messages and
// files, kept in one database. Every operation names the account acting (the bot, or anyone else
// when the world is driven from outside), checks what that account may do, changes the world in
// one transaction, and only then sends the events the protocol defines for the change.

import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import {
  applyDefaults,
  type Event,
  type EventData,
  type EventType,
  type FriendEntity,
  type GroupEntity,
  type GroupMemberEntity,
  type IncomingMessage,
  type OutgoingSegment,
  type OutgoingSegmentResolved,
  OutgoingSegment as OutgoingSegmentSchema,
} from '@milky/types';
import { invalidArgument, notFound, permissionDenied } from '../errors.ts';
import { Database } from './database.ts';
import { Files } from './files.ts';
import { Groups } from './groups.ts';
import { inspect, isImage, type MediaInfo } from './media.ts';
import { type Chat, Messages, type SendResult } from './messages.ts';
import { People } from './people.ts';
import { Links, loadUri, ResourceStore } from './resources.ts';

/** A member's role in a group. */
export type Role = 'owner' | 'admin' | 'member';
/** Where a message is: a friend's chat, a group, or a temporary chat through a group. */
export type Scene = 'friend' | 'group' | 'temp';

const rank: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** Options of a `World`: its file, its clock, and its bounds. */
export interface WorldOptions {
  /** SQLite file of the world, or `':memory:'` for one that lasts as long as the process. */
  readonly path: string;
  /** The clock, in Unix seconds. Default: the system clock. */
  readonly now?: (() => number) | undefined;
  /** Also send `message_receive` for the messages the bot account sends. Default false. */
  readonly reportSelfMessages?: boolean | undefined;
  /** Largest image, recording, video or file accepted, in bytes. Default 32 MiB. */
  readonly maxResourceBytes?: number | undefined;
  /** How long downloading an `http(s)://` resource may take, in ms. Default 15 000. */
  readonly downloadTimeout?: number | undefined;
  /** How long temporary resource and file links work, in seconds. Default 3600. */
  readonly linkTtl?: number | undefined;
  /**
   * The folder `file://` URIs may read from (its files and those of its subfolders, symbolic
   * links resolved). Default: none, any file the server's process can read.
   */
  readonly fileRoot?: string | undefined;
  /**
   * Largest message accepted, in bytes of its segments as JSON (the resources it carries are
   * bounded by `maxResourceBytes` instead); a larger one is refused with -400. Default 64 KiB.
   */
  readonly maxMessageBytes?: number | undefined;
  /**
   * Most bytes of messages in one `get_history_messages` answer; a page stops early (its
   * `next_message_seq` goes on from there), with at least one message. Default 4 MiB.
   */
  readonly maxHistoryBytes?: number | undefined;
}

export interface UserRow {
  user_id: number;
  uid: string;
  nickname: string;
  sex: 'male' | 'female' | 'unknown';
  qid: string;
  age: number;
  level: number;
  country: string;
  city: string;
  school: string;
  bio: string;
  avatar: string | null;
}

export interface GroupRow {
  group_id: number;
  name: string;
  max_member_count: number;
  remark: string;
  created_time: number;
  description: string;
  question: string;
  whole_mute: number;
  avatar: string | null;
}

export interface MemberRow {
  group_id: number;
  user_id: number;
  card: string;
  title: string;
  level: number;
  role: Role;
  join_time: number;
  last_sent_time: number;
  mute_until: number;
}

type MemberView = MemberRow & Pick<UserRow, 'nickname' | 'sex'>;

const memberView = `SELECT m.*, u.nickname AS nickname, u.sex AS sex FROM members m JOIN users u ON u.user_id = m.user_id`;
const friendView = `SELECT u.user_id AS user_id, u.nickname AS nickname, u.sex AS sex, u.qid AS qid, f.remark AS remark,
  c.category_id AS category_id, c.name AS category_name
  FROM friends f JOIN users u ON u.user_id = f.user_id JOIN friend_categories c ON c.category_id = f.category_id`;
const groupView = `SELECT g.*, (SELECT COUNT(*) FROM members m WHERE m.group_id = g.group_id) AS member_count,
  COALESCE((SELECT a.content FROM announcements a WHERE a.group_id = g.group_id ORDER BY a.time DESC, a.rowid DESC LIMIT 1), '') AS announcement
  FROM groups g`;

type FriendView = Omit<FriendEntity, 'category'> & { category_id: number; category_name: string };
type GroupView = GroupRow & { member_count: number; announcement: string };

/** What a change collects to send once it has committed. */
export interface Outbox {
  /** Sends the event `type` once the change has committed. */
  emit<T extends EventType>(type: T, data: EventData<T>): void;
  /** A message was stored (the bot's own too, whether or not it is reported as an event); rendered only when someone listens. */
  stored(message: () => IncomingMessage): void;
}

/** A folder that exists, its symbolic links resolved. */
function folder(path: string, what: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new TypeError(`${what}: no folder at ${path}`);
  }
  if (!statSync(real).isDirectory()) throw new TypeError(`${what}: ${path} is not a folder`);
  return real;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 1) throw new TypeError(`${what} must be a positive integer, got ${String(value)}`);
  return resolved;
}

/** The simulated QQ world in SQLite: people, friends, groups, messages, files; every change is a transaction that sends its events once committed. */
export class World {
  readonly db: Database;
  private self: number;
  /** The clock, in Unix seconds. */
  readonly now: () => number;
  readonly resources: ResourceStore;
  readonly links: Links;
  readonly options: { readonly [K in Exclude<keyof WorldOptions, 'path' | 'now' | 'fileRoot'>]-?: Exclude<WorldOptions[K], undefined> } & {
    readonly fileRoot: string | undefined;
  };
  readonly people: People;
  readonly groups: Groups;
  readonly messages: Messages;
  readonly files: Files;
  private listeners: Array<(event: Event) => void> = [];
  private messageListeners: Array<(message: IncomingMessage) => void> = [];
  private silenced = 0;
  /** The outbox of the change running now: a change inside another joins it. */
  private current: Outbox | undefined;

  /**
   * Opens the world in `options.path`. A new database needs `initialize` (the bot account)
   * before use; `created` tells whether it is new.
   */
  constructor(options: WorldOptions) {
    // The options are checked before the database is opened, so that a bad one leaves nothing open.
    this.options = {
      reportSelfMessages: options.reportSelfMessages ?? false,
      maxResourceBytes: options.maxResourceBytes ?? 32 * 1024 * 1024,
      downloadTimeout: options.downloadTimeout ?? 15_000,
      linkTtl: options.linkTtl ?? 3600,
      fileRoot: options.fileRoot === undefined ? undefined : folder(options.fileRoot, 'fileRoot'),
      maxMessageBytes: positive(options.maxMessageBytes, 64 * 1024, 'maxMessageBytes'),
      maxHistoryBytes: positive(options.maxHistoryBytes, 4 * 1024 * 1024, 'maxHistoryBytes'),
    };
    this.db = new Database(options.path);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    let secret = this.db.meta('link_secret');
    if (secret === undefined) {
      secret = randomBytes(32).toString('base64url');
      this.db.setMeta('link_secret', secret);
    }
    this.links = new Links(Buffer.from(secret), this.now, this.options.linkTtl);
    this.resources = new ResourceStore(this.db, this.now);
    this.self = Number(this.db.meta('self_id') ?? 0);
    this.people = new People(this);
    this.groups = new Groups(this);
    this.messages = new Messages(this);
    this.files = new Files(this);
  }

  /** QQ number of the bot account (0 until a new world is seeded). */
  get selfId(): number {
    return this.self;
  }

  /** Sets the bot account of a new world (seeding). */
  setSelf(userId: number): void {
    this.self = userId;
  }

  /** Whether the database was created by this open. */
  get created(): boolean {
    return this.db.created;
  }

  /** Calls `listener` with every event, after the change that made it has committed. */
  onEvent(listener: (event: Event) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Calls `listener` with every message stored, the bot's own included, once its change has committed. */
  onMessage(listener: (message: IncomingMessage) => void): () => void {
    this.messageListeners.push(listener);
    return () => {
      this.messageListeners = this.messageListeners.filter((other) => other !== listener);
    };
  }

  /**
   * Runs a change in one transaction and sends the events it collected once it has committed; a
   * throw rolls the change back and sends nothing. `work` must be synchronous.
   */
  change<T>(work: (outbox: Outbox) => T): T {
    if (this.current) return this.db.transaction(() => work(this.current as Outbox));
    const events: Event[] = [];
    const messages: IncomingMessage[] = [];
    const time = this.now();
    const outbox: Outbox = {
      emit: (type, data) => {
        if (this.silenced === 0) events.push({ time, self_id: this.selfId, event_type: type, data } as Event);
      },
      stored: (message) => {
        if (this.silenced === 0 && this.messageListeners.length > 0) messages.push(message());
      },
    };
    this.current = outbox;
    let result: T;
    try {
      result = this.db.transaction(() => {
        const value = work(outbox);
        if (value instanceof Promise) throw new TypeError('a world change must be synchronous');
        return value;
      });
    } finally {
      this.current = undefined;
    }
    for (const event of events) for (const listener of this.listeners) listener(event);
    for (const message of messages) for (const listener of this.messageListeners) listener(message);
    return result;
  }

  /** Reads the bytes a URI names, within the world's limits; `image` requires an image. */
  async read(uri: string, field: string, image = false): Promise<{ data: Buffer; info: MediaInfo }> {
    const data = await loadUri(uri, field, {
      maxBytes: this.options.maxResourceBytes,
      timeout: this.options.downloadTimeout,
      fileRoot: this.options.fileRoot,
    });
    const info = inspect(data);
    if (image && !isImage(info.mime)) throw invalidArgument(field, 'the data is not an image (expected PNG, JPEG, GIF, WebP or BMP)');
    return { data, info };
  }

  /**
   * `actor` sends a message into a chat: the bot, or anyone else (a friend in their chat with the
   * bot, a member in a group). Resources are read first; see `Messages.checkSender` for who may.
   */
  async send(actor: number, chat: Chat, segments: readonly OutgoingSegment[]): Promise<SendResult> {
    const resolved = segments.map((segment) => applyDefaults(OutgoingSegmentSchema, segment) as OutgoingSegmentResolved);
    const prepared = await this.messages.prepare(resolved, 'message');
    return this.messages.send(actor, chat, prepared);
  }

  /** Runs `work` without sending events (seeding). */
  silently<T>(work: () => T): T {
    this.silenced++;
    try {
      return work();
    } finally {
      this.silenced--;
    }
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }

  // Lookups. Each `require…` fails with a not-found error that names what is missing.

  /** The person `userId`, if there is one. */
  user(userId: number): UserRow | undefined {
    return this.db.get<UserRow>('SELECT * FROM users WHERE user_id = ?', userId);
  }

  /** The person `userId`; -404 when there is none. */
  requireUser(userId: number): UserRow {
    const user = this.user(userId);
    if (!user) throw notFound(`no user ${userId}`);
    return user;
  }

  /** The person of a protocol uid, if there is one. */
  userByUid(uid: string): UserRow | undefined {
    return this.db.get<UserRow>('SELECT * FROM users WHERE uid = ?', uid);
  }

  /** Whether `userId` is a friend of the bot. */
  isFriend(userId: number): boolean {
    return this.db.get('SELECT 1 AS found FROM friends WHERE user_id = ?', userId) !== undefined;
  }

  /** Refuses with -404 unless `userId` is a friend of the bot. */
  requireFriend(userId: number): void {
    if (!this.isFriend(userId)) throw notFound(`${userId} is not a friend of the bot`);
  }

  /** The group `groupId`, if there is one. */
  group(groupId: number): GroupRow | undefined {
    return this.db.get<GroupRow>('SELECT * FROM groups WHERE group_id = ?', groupId);
  }

  /** The membership of `userId` in `groupId`, if there is one. */
  member(groupId: number, userId: number): MemberRow | undefined {
    return this.db.get<MemberRow>('SELECT * FROM members WHERE group_id = ? AND user_id = ?', groupId, userId);
  }

  /** A group the bot account is in (others are out of its reach). */
  requireGroup(groupId: number): GroupRow {
    const group = this.group(groupId);
    if (!group || !this.member(groupId, this.selfId)) throw notFound(`the bot is not in a group ${groupId}`);
    return group;
  }

  /** The membership of `userId` in `groupId`; -404 when there is none. */
  requireMember(groupId: number, userId: number): MemberRow {
    const member = this.member(groupId, userId);
    if (!member) throw notFound(`${userId} is not a member of group ${groupId}`);
    return member;
  }

  /** A group the bot is in and the actor's membership of it, failing when either is missing; each row read once. */
  groupAndMember(groupId: number, actor: number): { group: GroupRow; member: MemberRow } {
    const group = this.group(groupId);
    const bot = group && this.member(groupId, this.selfId);
    if (!group || !bot) throw notFound(`the bot is not in a group ${groupId}`);
    return { group, member: actor === this.selfId ? bot : this.requireMember(groupId, actor) };
  }

  /** The actor's membership in a group the bot is in, failing when either is missing. */
  actorIn(groupId: number, actor: number): MemberRow {
    return this.groupAndMember(groupId, actor).member;
  }

  /** Fails unless `actor` has at least `role` in the group. */
  requireRole(member: MemberRow, role: Role, what: string): void {
    if (rank[member.role] < rank[role]) {
      throw permissionDenied(
        `${what} needs the ${role === 'owner' ? 'owner' : 'owner or an admin'} of group ${member.group_id}; ${member.user_id} is ${member.role === 'admin' ? 'an admin' : `the ${member.role}`}`,
      );
    }
  }

  /** Fails unless `actor` is an admin or the owner and ranks above `target`. */
  requireOutranks(actor: MemberRow, target: MemberRow, what: string): void {
    this.requireRole(actor, 'admin', what);
    if (rank[actor.role] <= rank[target.role]) {
      throw permissionDenied(`${what}: ${actor.user_id} (${actor.role}) does not rank above ${target.user_id} (${target.role})`);
    }
  }

  /** Whether the member is muted now (a mute of their own; whole-group mutes are apart). */
  isMuted(member: MemberRow): boolean {
    return member.mute_until > this.now();
  }

  // Entities, as the protocol shows them.

  /** The bot's friend `userId` as the protocol describes one. */
  friendEntity(userId: number): FriendEntity {
    const row = this.db.get<FriendView>(`${friendView} WHERE f.user_id = ?`, userId);
    if (!row) throw notFound(`${userId} is not a friend of the bot`);
    return toFriend(row);
  }

  /** The bot's friends as the protocol describes them, optionally filtered by an SQL condition. */
  friendEntities(where = '', ...params: number[]): FriendEntity[] {
    return this.db.all<FriendView>(`${friendView} ${where} ORDER BY c.category_id, u.user_id`, ...params).map(toFriend);
  }

  /** The group `groupId` as the protocol describes one. */
  groupEntity(groupId: number): GroupEntity {
    const row = this.db.get<GroupView>(`${groupView} WHERE g.group_id = ?`, groupId);
    if (!row) throw notFound(`no group ${groupId}`);
    return toGroup(row);
  }

  /** The groups the bot account is in. */
  groupEntities(): GroupEntity[] {
    return this.db
      .all<GroupView>(`${groupView} WHERE g.group_id IN (SELECT group_id FROM members WHERE user_id = ?) ORDER BY g.group_id`, this.selfId)
      .map(toGroup);
  }

  /** The member `userId` of `groupId` as the protocol describes one. */
  memberEntity(groupId: number, userId: number): GroupMemberEntity {
    const row = this.db.get<MemberView>(`${memberView} WHERE m.group_id = ? AND m.user_id = ?`, groupId, userId);
    if (!row) throw notFound(`${userId} is not a member of group ${groupId}`);
    return this.toMember(row);
  }

  /** Every member of `groupId` as the protocol describes them. */
  memberEntities(groupId: number): GroupMemberEntity[] {
    return this.db
      .all<MemberView>(`${memberView} WHERE m.group_id = ? ORDER BY m.join_time, m.user_id`, groupId)
      .map((row) => this.toMember(row));
  }

  /** How a sender is shown in a group: the member, or what is known of a user who has left. */
  senderEntity(groupId: number, userId: number): GroupMemberEntity {
    const row = this.db.get<MemberView>(`${memberView} WHERE m.group_id = ? AND m.user_id = ?`, groupId, userId);
    if (row) return this.toMember(row);
    const user = this.user(userId);
    return {
      user_id: userId,
      nickname: user?.nickname ?? String(userId),
      sex: user?.sex ?? 'unknown',
      group_id: groupId,
      card: '',
      title: '',
      level: 0,
      role: 'member',
      join_time: 0,
      last_sent_time: 0,
    };
  }

  /** The name a user shows in a group: the card, or the nickname. */
  displayName(groupId: number | undefined, userId: number): string {
    const member = groupId === undefined ? undefined : this.member(groupId, userId);
    return member?.card || this.user(userId)?.nickname || String(userId);
  }

  private toMember(row: MemberView): GroupMemberEntity {
    const entity: GroupMemberEntity = {
      user_id: row.user_id,
      nickname: row.nickname,
      sex: row.sex,
      group_id: row.group_id,
      card: row.card,
      title: row.title,
      level: row.level,
      role: row.role,
      join_time: row.join_time,
      last_sent_time: row.last_sent_time,
    };
    if (this.isMuted(row)) entity.shut_up_end_time = row.mute_until;
    return entity;
  }
}

function toFriend(row: FriendView): FriendEntity {
  return {
    user_id: row.user_id,
    nickname: row.nickname,
    sex: row.sex,
    qid: row.qid,
    remark: row.remark,
    category: { category_id: row.category_id, category_name: row.category_name },
  };
}

function toGroup(row: GroupView): GroupEntity {
  return {
    group_id: row.group_id,
    group_name: row.name,
    member_count: row.member_count,
    max_member_count: row.max_member_count,
    remark: row.remark,
    created_time: row.created_time,
    description: row.description,
    question: row.question,
    announcement: row.announcement,
  };
}
