// People: profiles, the bot account's own profile, friends and friend requests, likes, nudges,
// pinned chats, saved stickers and web credentials.

import { createHmac, randomBytes } from 'node:crypto';
import type { FriendEntity, FriendRequest, GetUserProfileOutput, GroupEntity } from '@milky/types';
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import type { MediaInfo } from './media.ts';
import type { Transactions } from './outbox.ts';
import type { Links, ResourceStore } from './resources.ts';
import { dailyLikeLimit, friendRequestLimit, requireRange } from './rules.ts';
import type { Scene, Store, UserRow } from './store.ts';

export { dailyLikeLimit } from './rules.ts';

interface FriendRequestRow {
  id: number;
  initiator_id: number;
  target_user_id: number;
  time: number;
  state: FriendRequest['state'];
  comment: string;
  via: string;
  is_filtered: number;
}

/** A change of an account's profile; absent fields are kept. */
export interface ProfileChange {
  readonly nickname?: string | undefined;
  readonly bio?: string | undefined;
  readonly avatar?: string | undefined;
}

export interface NewUser {
  /** QQ number; the next free one from 10001 when absent. */
  readonly user_id?: number | undefined;
  readonly nickname: string;
  readonly sex?: 'male' | 'female' | 'unknown' | undefined;
  readonly qid?: string | undefined;
  readonly age?: number | undefined;
  readonly level?: number | undefined;
  readonly country?: string | undefined;
  readonly city?: string | undefined;
  readonly school?: string | undefined;
  readonly bio?: string | undefined;
}

/** What `People` uses: the rows, the transactions, and stored resources (avatars, saved stickers) with their links. */
export interface PeopleDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly links: Links;
}

/** People: profiles, friends and friend requests, likes, nudges, pins, stickers and web credentials. */
export class People {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly resources: ResourceStore;
  private readonly links: Links;

  constructor(deps: PeopleDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.resources = deps.resources;
    this.links = deps.links;
  }

  profile(userId: number): GetUserProfileOutput {
    const user = this.store.requireUser(userId);
    const remark = this.store.db.get<{ remark: string }>('SELECT remark FROM friends WHERE user_id = ?', userId)?.remark ?? '';
    const { nickname, qid, age, sex, bio, level, country, city, school } = user;
    return { nickname, qid, age, sex, remark, bio, level, country, city, school };
  }

  /** Changes the nickname, bio or avatar (a stored resource) of an account. */
  setProfile(userId: number, change: ProfileChange): void {
    this.tx.change(() => {
      this.store.requireUser(userId);
      const { db } = this.store;
      if (change.nickname !== undefined) {
        if (change.nickname.trim() === '') throw invalidArgument('new_nickname', 'a nickname cannot be empty');
        db.run('UPDATE users SET nickname = ? WHERE user_id = ?', change.nickname, userId);
      }
      if (change.bio !== undefined) db.run('UPDATE users SET bio = ? WHERE user_id = ?', change.bio, userId);
      if (change.avatar !== undefined) db.run('UPDATE users SET avatar = ? WHERE user_id = ?', change.avatar, userId);
    });
  }

  /** Sets an account's avatar to an image already read (see `MediaReader`). */
  setAvatar(userId: number, image: { readonly data: Buffer; readonly info: MediaInfo }): void {
    this.tx.change(() => this.setProfile(userId, { avatar: this.resources.put(image.data, 'avatar', image.info).resourceId }));
  }

  /** The bot account goes offline: a `bot_offline` event. */
  goOffline(reason: string): void {
    this.tx.change((outbox) => outbox.emit('bot_offline', { reason }));
  }

  /** Adds a person to the world (no event: nobody is told). */
  createUser(user: NewUser): UserRow {
    return this.tx.change(() => {
      const { db } = this.store;
      const userId = user.user_id ?? db.nextId('users', 'user_id', 10001);
      if (this.store.user(userId)) throw invalidState(`user ${userId} already exists`);
      if (user.nickname.trim() === '') throw invalidArgument('nickname', 'a nickname cannot be empty');
      db.insert('users', {
        user_id: userId,
        uid: `u_${randomBytes(16).toString('base64url')}`,
        nickname: user.nickname,
        sex: user.sex ?? 'unknown',
        qid: user.qid ?? '',
        age: user.age ?? 0,
        level: user.level ?? 1,
        country: user.country ?? '',
        city: user.city ?? '',
        school: user.school ?? '',
        bio: user.bio ?? '',
      });
      return this.store.requireUser(userId);
    });
  }

  /** Makes a user a friend of the bot at once, without a request (no event). */
  addFriend(userId: number, remark = ''): void {
    this.tx.change(() => {
      this.store.requireUser(userId);
      if (userId === this.store.selfId) throw invalidArgument('user_id', 'the bot cannot befriend itself');
      if (this.store.isFriend(userId)) throw invalidState(`${userId} is already a friend of the bot`);
      this.befriend(userId, remark);
    });
  }

  friends(): FriendEntity[] {
    return this.store.friendEntities();
  }

  pins(): { friends: FriendEntity[]; groups: GroupEntity[] } {
    const { db } = this.store;
    const friends = db
      .all<{ peer_id: number }>("SELECT peer_id FROM pins WHERE scene = 'friend' ORDER BY time DESC, peer_id")
      .filter(({ peer_id }) => this.store.isFriend(peer_id))
      .map(({ peer_id }) => this.store.friendEntity(peer_id));
    const groups = db
      .all<{ peer_id: number }>("SELECT peer_id FROM pins WHERE scene = 'group' ORDER BY time DESC, peer_id")
      .filter(({ peer_id }) => this.store.member(peer_id, this.store.selfId))
      .map(({ peer_id }) => this.store.groupEntity(peer_id));
    return { friends, groups };
  }

  setPin(scene: Scene, peerId: number, pinned: boolean): void {
    this.tx.change((outbox) => {
      if (scene === 'friend') this.store.requireFriend(peerId);
      else if (scene === 'group') this.store.requireGroup(peerId);
      else this.store.requireUser(peerId);
      const { db } = this.store;
      const changed = pinned
        ? db.run('INSERT OR IGNORE INTO pins (scene, peer_id, time) VALUES (?, ?, ?)', scene, peerId, this.store.now()).changes
        : db.run('DELETE FROM pins WHERE scene = ? AND peer_id = ?', scene, peerId).changes;
      if (changed > 0) outbox.emit('peer_pin_change', { message_scene: scene, peer_id: peerId, is_pinned: pinned });
    });
  }

  deleteFriend(userId: number): void {
    this.tx.change(() => {
      this.store.requireFriend(userId);
      this.store.db.run('DELETE FROM friends WHERE user_id = ?', userId);
      this.store.db.run("DELETE FROM pins WHERE scene = 'friend' AND peer_id = ?", userId);
    });
  }

  /** Makes two accounts friends, in the bot's first category. Call inside a change. */
  befriend(userId: number, remark = ''): void {
    const category = this.store.db.get<{ category_id: number }>('SELECT MIN(category_id) AS category_id FROM friend_categories');
    this.store.db.run(
      'INSERT OR IGNORE INTO friends (user_id, category_id, remark) VALUES (?, ?, ?)',
      userId,
      category?.category_id ?? 0,
      remark,
    );
  }

  private toRequest(row: FriendRequestRow): FriendRequest {
    const uid = (userId: number) => this.store.user(userId)?.uid ?? '';
    return {
      time: row.time,
      initiator_id: row.initiator_id,
      initiator_uid: uid(row.initiator_id),
      target_user_id: row.target_user_id,
      target_user_uid: uid(row.target_user_id),
      state: row.state,
      comment: row.comment,
      via: row.via,
      is_filtered: row.is_filtered === 1,
    };
  }

  friendRequests(limit: number, filtered: boolean): FriendRequest[] {
    requireRange('limit', limit, 1, friendRequestLimit);
    return this.store.db
      .all<FriendRequestRow>(
        'SELECT * FROM friend_requests WHERE is_filtered = ? ORDER BY time DESC, id DESC LIMIT ?',
        filtered ? 1 : 0,
        limit,
      )
      .map((row) => this.toRequest(row));
  }

  /** `actor` asks the bot to be friends; QQ does not announce requests it filtered as risky. */
  requestFriendship(actor: number, comment: string, via: string, filtered = false): FriendRequest {
    return this.tx.change((outbox) => {
      const user = this.store.requireUser(actor);
      if (actor === this.store.selfId) throw invalidArgument('user_id', 'the bot cannot befriend itself');
      if (this.store.isFriend(actor)) throw invalidState(`${actor} is already a friend of the bot`);
      const pending = this.store.db.get("SELECT 1 AS found FROM friend_requests WHERE initiator_id = ? AND state = 'pending'", actor);
      if (pending) throw invalidState(`${actor} already has a pending friend request`);
      const id = this.store.db.insert('friend_requests', {
        initiator_id: actor,
        target_user_id: this.store.selfId,
        time: this.store.now(),
        state: 'pending',
        comment,
        via,
        is_filtered: filtered ? 1 : 0,
      });
      if (!filtered) outbox.emit('friend_request', { initiator_id: actor, initiator_uid: user.uid, comment, via });
      return this.toRequest(this.store.db.get<FriendRequestRow>('SELECT * FROM friend_requests WHERE id = ?', id) as FriendRequestRow);
    });
  }

  /** Accepts or rejects the pending request of the user with `uid`. */
  answerFriendRequest(uid: string, filtered: boolean, accept: boolean): void {
    this.tx.change(() => {
      const user = this.store.userByUid(uid);
      const rows = user
        ? this.store.db.all<FriendRequestRow>(
            'SELECT * FROM friend_requests WHERE initiator_id = ? AND target_user_id = ? AND is_filtered = ? ORDER BY id DESC',
            user.user_id,
            this.store.selfId,
            filtered ? 1 : 0,
          )
        : [];
      const pending = rows.find((row) => row.state === 'pending');
      if (!pending) {
        if (rows[0]) throw invalidState(`the friend request of ${rows[0].initiator_id} is already ${rows[0].state}`);
        throw notFound(`no ${filtered ? 'filtered ' : ''}friend request from uid ${JSON.stringify(uid)}`);
      }
      this.store.db.run('UPDATE friend_requests SET state = ? WHERE id = ?', accept ? 'accepted' : 'rejected', pending.id);
      if (accept) this.befriend(pending.initiator_id);
    });
  }

  /** The bot likes a user's profile card `count` times, within the daily limit per user. */
  like(userId: number, count: number): void {
    this.tx.change(() => {
      this.store.requireUser(userId);
      if (userId === this.store.selfId) throw invalidArgument('user_id', 'the bot cannot like its own profile');
      requireRange('count', count, 1, dailyLikeLimit);
      // QQ counts likes per day in China Standard Time.
      const day = new Date((this.store.now() + 8 * 3600) * 1000).toISOString().slice(0, 10);
      const given = this.store.db.get<{ count: number }>('SELECT count FROM likes WHERE user_id = ? AND day = ?', userId, day)?.count ?? 0;
      if (given + count > dailyLikeLimit) {
        throw invalidState(`${userId} already got ${given} of today's ${dailyLikeLimit} likes from the bot`);
      }
      this.store.db.run(
        'INSERT INTO likes (user_id, day, count) VALUES (?, ?, ?) ON CONFLICT (user_id, day) DO UPDATE SET count = count + excluded.count',
        userId,
        day,
        count,
      );
    });
  }

  /**
   * A nudge in the friend chat with `friendId`: by the bot (of the friend, or of itself when
   * `self`), or by the friend (of the bot, or of themselves).
   */
  nudgeFriend(actor: number, friendId: number, self: boolean): void {
    this.tx.change((outbox) => {
      this.store.requireFriend(friendId);
      const bot = this.store.selfId;
      if (actor !== bot && actor !== friendId) throw invalidArgument('user_id', `${actor} is not part of the chat with ${friendId}`);
      const sentByBot = actor === bot;
      outbox.emit('friend_nudge', {
        user_id: friendId,
        is_self_send: sentByBot,
        is_self_receive: sentByBot === self,
        display_action: '戳了戳',
        display_suffix: '',
        display_action_img_url: '',
      });
    });
  }

  customFaceUrls(): string[] {
    return this.store.db
      .all<{ resource_id: string }>('SELECT resource_id FROM custom_faces ORDER BY id')
      .map(({ resource_id }) => this.links.signed('media', resource_id));
  }

  private skey(): string {
    let skey = this.store.db.meta('skey');
    if (skey === undefined) {
      skey = `@${createHmac('sha256', this.store.db.meta('link_secret') ?? '')
        .update('skey')
        .digest('base64url')
        .slice(0, 9)}`;
      this.tx.change(() => this.store.db.setMeta('skey', skey as string));
    }
    return skey;
  }

  /** The cookies of the bot for a QQ web domain: `uin`, `skey` and a `p_skey` of that domain. */
  cookies(domain: string): string {
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain)) {
      throw invalidArgument('domain', `expected a host name such as qun.qq.com, got ${JSON.stringify(domain)}`);
    }
    const uin = `o${String(this.store.selfId).padStart(10, '0')}`;
    const skey = this.skey();
    const pSkey = createHmac('sha256', skey).update(domain.toLowerCase()).digest('base64url').slice(0, 44);
    return `uin=${uin}; skey=${skey}; p_uin=${uin}; p_skey=${pSkey}`;
  }

  /** The CSRF token QQ web pages compute from the `skey` cookie (the "bkn" hash). */
  csrfToken(): number {
    let hash = 5381;
    for (const char of this.skey()) hash += (hash << 5) + char.charCodeAt(0);
    return hash & 0x7fffffff;
  }

  user(userId: number): UserRow {
    return this.store.requireUser(userId);
  }
}
