// The store layer: the rows of the world's database and their mapping to the entities the
// protocol shows. Lookups named `require…` fail with a not-found error that names what is missing.
// Nothing here opens a transaction or sends an event.

import type { FriendEntity, GroupEntity, GroupMemberEntity } from '@milky/types';
import { notFound } from '../errors.ts';
import type { Database } from './database.ts';

/** A member's role in a group. */
export type Role = 'owner' | 'admin' | 'member';
/** Where a message is: a friend's chat, a group, or a temporary chat through a group. */
export type Scene = 'friend' | 'group' | 'temp';

/** A row of `users`: a person of the world. */
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

/** A row of `groups`. */
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

/** A row of `members`: a user's membership of a group. */
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

/** What the rules read of a membership: who, where, their role and their mute. */
export type Standing = Pick<MemberRow, 'group_id' | 'user_id' | 'role' | 'mute_until'>;

/** What the rules read of a group: which one, and whether it is muted as a whole. */
export type GroupState = Pick<GroupRow, 'group_id' | 'whole_mute'>;

/** A user's names, as a group shows them: the nickname, and the card when they are a member. */
export interface Names {
  readonly nickname: string;
  /** The card in the group; `null` when not a member (or no group was named). */
  readonly card: string | null;
}

/** The name a user shows in a group: their card there, else their nickname, else their id. */
export function displayName(names: { readonly nickname: string | null; readonly card: string | null } | undefined, userId: number): string {
  return names?.card || names?.nickname || String(userId);
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

/** The world's rows: who the bot account is, the clock, lookups and the protocol's view of each row. */
export class Store {
  readonly db: Database;
  /** The clock, in Unix seconds. */
  readonly now: () => number;
  private self: number;

  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
    this.self = Number(db.meta('self_id') ?? 0);
  }

  /** QQ number of the bot account (0 until a new world is seeded). */
  get selfId(): number {
    return this.self;
  }

  /** Sets the bot account of a new world (seeding). */
  setSelf(userId: number): void {
    this.self = userId;
  }

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

  /**
   * Refuses with -404, as `requireGroup` does, unless the bot is in `groupId`: one seek in the
   * members' key (a membership names an existing group), no row read.
   */
  requireBotIn(groupId: number): void {
    if (this.db.get('SELECT 1 AS found FROM members WHERE group_id = ? AND user_id = ?', groupId, this.selfId) === undefined)
      throw notFound(`the bot is not in a group ${groupId}`);
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

  /**
   * What a send into a group checks, read in one statement: the group, that the bot is in it, and
   * the actor's standing and when they last sent; fails as `groupAndMember` does.
   */
  speaker(groupId: number, actor: number): { group: GroupState; member: Standing; lastSent: number } {
    const row = this.db.get<
      GroupState & { bot: number | null; user_id: number | null; role: Role; mute_until: number; last_sent_time: number }
    >(
      'SELECT g.group_id, g.whole_mute, b.user_id AS bot, a.user_id, a.role, a.mute_until, a.last_sent_time FROM groups g ' +
        'LEFT JOIN members b ON b.group_id = g.group_id AND b.user_id = ? ' +
        'LEFT JOIN members a ON a.group_id = g.group_id AND a.user_id = ? WHERE g.group_id = ?',
      this.selfId,
      actor,
      groupId,
    );
    if (!row || row.bot === null) throw notFound(`the bot is not in a group ${groupId}`);
    if (row.user_id === null) throw notFound(`${actor} is not a member of group ${groupId}`);
    return {
      group: { group_id: groupId, whole_mute: row.whole_mute },
      member: { group_id: groupId, user_id: row.user_id, role: row.role, mute_until: row.mute_until },
      lastSent: row.last_sent_time,
    };
  }

  /** A user's nickname and, when `groupId` is given and they are in it, their card; `undefined` when there is no such user. */
  names(groupId: number | undefined, userId: number): Names | undefined {
    return this.db.get<Names>(
      'SELECT u.nickname, m.card FROM users u LEFT JOIN members m ON m.group_id = ? AND m.user_id = u.user_id WHERE u.user_id = ?',
      groupId ?? null,
      userId,
    );
  }

  /** The actor's membership in a group the bot is in, failing when either is missing. */
  actorIn(groupId: number, actor: number): MemberRow {
    return this.groupAndMember(groupId, actor).member;
  }

  /** A group message that has not been recalled; -404 when there is none. */
  groupMessage(groupId: number, seq: number): { sender_id: number; time: number; segments: string } {
    const row = this.db.get<{ sender_id: number; time: number; segments: string }>(
      "SELECT sender_id, time, segments FROM messages WHERE scene = 'group' AND peer_id = ? AND seq = ? AND recalled = 0",
      groupId,
      seq,
    );
    if (!row) throw notFound(`no message ${seq} in group ${groupId}`);
    return row;
  }

  /** Whether the member is muted now (a mute of their own; whole-group mutes are apart). */
  isMuted(member: MemberRow): boolean {
    return member.mute_until > this.now();
  }

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
    return displayName(this.names(groupId, userId), userId);
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
