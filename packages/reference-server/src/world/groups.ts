// Groups: settings, roles, mutes, removals, announcements, essence messages, reactions, nudges,
// the notification list with its join requests, and invitations of the bot into other groups.

import type { GroupAnnouncementEntity, GroupEssenceMessage, GroupNotification, IncomingSegment } from '@milky/types';
import { invalidArgument, invalidState, notFound, permissionDenied } from '../errors.ts';
import { newId } from './resources.ts';
import type { MemberRow, Outbox, World } from './world.ts';

/** The longest mute QQ allows: 30 days, in seconds. */
export const maxMuteSeconds = 30 * 24 * 3600;

interface NotificationRow {
  notification_seq: number;
  group_id: number;
  type: GroupNotification['type'];
  time: number;
  is_filtered: number;
  initiator_id: number | null;
  target_user_id: number | null;
  operator_id: number | null;
  is_set: number | null;
  state: 'pending' | 'accepted' | 'rejected' | 'ignored' | null;
  comment: string;
}

interface InvitationRow {
  invitation_seq: number;
  group_id: number;
  initiator_id: number;
  source_group_id: number | null;
  state: string;
}

export interface JoinedBy {
  /** The admin who let the user in. */
  readonly operatorId?: number | undefined;
  /** The member who invited the user. */
  readonly invitorId?: number | undefined;
}

export interface NewGroup {
  /** Group number; the next free one from 20001 when absent. */
  readonly group_id?: number | undefined;
  readonly name: string;
  readonly owner_id: number;
  /** Other members, the bot among them or not. */
  readonly members?: ReadonlyArray<{ readonly user_id: number; readonly role?: 'admin' | 'member' | undefined }> | undefined;
  readonly max_member_count?: number | undefined;
  readonly description?: string | undefined;
  readonly question?: string | undefined;
}

export class Groups {
  private readonly world: World;

  constructor(world: World) {
    this.world = world;
  }

  private notify(row: Pick<NotificationRow, 'group_id' | 'type'> & Partial<Omit<NotificationRow, 'notification_seq' | 'time'>>): number {
    return this.world.db.insert('group_notifications', { ...row, time: this.world.now() });
  }

  /** Creates a group with its members (no event: it is how the world is built). */
  create(group: NewGroup): number {
    return this.world.change(() => {
      const { db } = this.world;
      const groupId =
        group.group_id ?? Math.max(20001, (db.get<{ n: number | null }>('SELECT MAX(group_id) AS n FROM groups')?.n ?? 0) + 1);
      if (this.world.group(groupId)) throw invalidState(`group ${groupId} already exists`);
      if (group.name.trim() === '') throw invalidArgument('name', 'a group name cannot be empty');
      const now = this.world.now();
      db.insert('groups', {
        group_id: groupId,
        name: group.name,
        max_member_count: group.max_member_count ?? 200,
        remark: '',
        created_time: now,
        description: group.description ?? '',
        question: group.question ?? '',
      });
      const members = [{ user_id: group.owner_id, role: 'owner' as const }, ...(group.members ?? [])];
      members.forEach((member, index) => {
        const field = index === 0 ? 'owner_id' : `members[${index - 1}].user_id`;
        if (!this.world.user(member.user_id)) throw notFound(`${field}: no user ${member.user_id}`);
        if (this.world.member(groupId, member.user_id)) throw invalidArgument(field, `${member.user_id} is listed twice`);
        db.insert('members', {
          group_id: groupId,
          user_id: member.user_id,
          card: '',
          title: '',
          level: 1,
          role: member.role ?? 'member',
          join_time: now,
          last_sent_time: 0,
        });
      });
      return groupId;
    });
  }

  /** A user joins a group directly (say, through a link or a QR code). */
  joinDirectly(userId: number, groupId: number): void {
    this.world.change((outbox) => this.join(groupId, userId, {}, outbox));
  }

  setName(actor: number, groupId: number, name: string): void {
    this.world.change((outbox) => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'renaming the group');
      if (name.trim() === '') throw invalidArgument('new_group_name', 'a group name cannot be empty');
      if (name.length > 60) throw invalidArgument('new_group_name', 'a group name has at most 60 characters');
      const { changes } = this.world.db.run('UPDATE groups SET name = ? WHERE group_id = ? AND name <> ?', name, groupId, name);
      if (changes > 0) outbox.emit('group_name_change', { group_id: groupId, new_group_name: name, operator_id: actor });
    });
  }

  setAvatar(actor: number, groupId: number, resourceId: string): void {
    this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', "changing the group's avatar");
      this.world.db.run('UPDATE groups SET avatar = ? WHERE group_id = ?', resourceId, groupId);
    });
  }

  /** Members set their own card; admins set members' cards, the owner anyone's. */
  setCard(actor: number, groupId: number, userId: number, card: string): void {
    this.world.change(() => {
      const operator = this.world.actorIn(groupId, actor);
      const target = this.world.requireMember(groupId, userId);
      if (actor !== userId) this.world.requireOutranks(operator, target, `setting the card of ${userId}`);
      if (card.length > 60) throw invalidArgument('card', 'a card has at most 60 characters');
      this.world.db.run('UPDATE members SET card = ? WHERE group_id = ? AND user_id = ?', card, groupId, userId);
    });
  }

  setTitle(actor: number, groupId: number, userId: number, title: string): void {
    this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'owner', 'granting a special title');
      this.world.requireMember(groupId, userId);
      if (Buffer.byteLength(title) > 18)
        throw invalidArgument('special_title', 'a special title has at most 18 bytes (6 Chinese characters)');
      this.world.db.run('UPDATE members SET title = ? WHERE group_id = ? AND user_id = ?', title, groupId, userId);
    });
  }

  setAdmin(actor: number, groupId: number, userId: number, isSet: boolean): void {
    this.world.change((outbox) => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'owner', 'appointing admins');
      const target = this.world.requireMember(groupId, userId);
      if (target.role === 'owner') throw invalidState(`${userId} owns group ${groupId}`);
      const role = isSet ? 'admin' : 'member';
      if (target.role === role) return;
      this.world.db.run('UPDATE members SET role = ? WHERE group_id = ? AND user_id = ?', role, groupId, userId);
      this.notify({ group_id: groupId, type: 'admin_change', target_user_id: userId, operator_id: actor, is_set: isSet ? 1 : 0 });
      outbox.emit('group_admin_change', { group_id: groupId, user_id: userId, operator_id: actor, is_set: isSet });
    });
  }

  /** Mutes a member for `duration` seconds (0 lifts the mute); the actor must rank above them. */
  mute(actor: number, groupId: number, userId: number, duration: number): void {
    this.world.change((outbox) => {
      const operator = this.world.actorIn(groupId, actor);
      const target = this.world.requireMember(groupId, userId);
      this.world.requireOutranks(operator, target, `muting ${userId}`);
      if (!Number.isInteger(duration) || duration < 0 || duration > maxMuteSeconds) {
        throw invalidArgument('duration', `expected 0 to ${maxMuteSeconds} seconds (30 days), got ${duration}`);
      }
      if (duration === 0 && !this.world.isMuted(target)) return;
      const until = duration === 0 ? 0 : this.world.now() + duration;
      this.world.db.run('UPDATE members SET mute_until = ? WHERE group_id = ? AND user_id = ?', until, groupId, userId);
      outbox.emit('group_mute', { group_id: groupId, user_id: userId, operator_id: actor, duration });
    });
  }

  wholeMute(actor: number, groupId: number, on: boolean): void {
    this.world.change((outbox) => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'muting the whole group');
      const { changes } = this.world.db.run(
        'UPDATE groups SET whole_mute = ? WHERE group_id = ? AND whole_mute <> ?',
        on ? 1 : 0,
        groupId,
        on ? 1 : 0,
      );
      if (changes > 0) outbox.emit('group_whole_mute', { group_id: groupId, operator_id: actor, is_mute: on });
    });
  }

  /** Removes a member; `block` refuses their later requests to join. */
  kick(actor: number, groupId: number, userId: number, block: boolean): void {
    this.world.change((outbox) => {
      const operator = this.world.actorIn(groupId, actor);
      const target = this.world.requireMember(groupId, userId);
      this.world.requireOutranks(operator, target, `removing ${userId}`);
      this.remove(groupId, userId, outbox, actor);
      if (block) this.world.db.run('INSERT OR IGNORE INTO group_blocks (group_id, user_id) VALUES (?, ?)', groupId, userId);
      this.notify({ group_id: groupId, type: 'kick', target_user_id: userId, operator_id: actor });
    });
  }

  /** `actor` leaves a group; the owner cannot. */
  quit(actor: number, groupId: number): void {
    this.world.change((outbox) => {
      const member = this.world.actorIn(groupId, actor);
      if (member.role === 'owner') throw invalidState(`${actor} owns group ${groupId} and cannot leave it`);
      this.remove(groupId, actor, outbox, undefined);
      this.notify({ group_id: groupId, type: 'quit', target_user_id: actor });
    });
  }

  /**
   * The owner disbands a group: the bot (which must be in it, though not as the owner: QQ has
   * no API for that) gets `group_disband`, and the group, its members, messages, files,
   * announcements and notifications are gone from the world.
   */
  disband(actor: number, groupId: number): void {
    this.world.change((outbox) => {
      const owner = this.world.actorIn(groupId, actor);
      this.world.requireRole(owner, 'owner', 'disbanding the group');
      if (actor === this.world.selfId) throw invalidState('the bot cannot disband a group: the protocol has no API for it');
      const { db } = this.world;
      db.run("DELETE FROM messages WHERE scene = 'group' AND peer_id = ?", groupId);
      db.run("DELETE FROM read_marks WHERE scene = 'group' AND peer_id = ?", groupId);
      db.run("DELETE FROM pins WHERE scene = 'group' AND peer_id = ?", groupId);
      for (const table of [
        'members',
        'group_blocks',
        'group_files',
        'group_folders',
        'announcements',
        'essence',
        'reactions',
        'group_notifications',
        'group_invitations',
      ]) {
        db.run(`DELETE FROM ${table} WHERE group_id = ?`, groupId);
      }
      db.run('DELETE FROM groups WHERE group_id = ?', groupId);
      outbox.emit('group_disband', { group_id: groupId, operator_id: actor });
    });
  }

  private remove(groupId: number, userId: number, outbox: Outbox, operatorId: number | undefined): void {
    this.world.db.run('DELETE FROM members WHERE group_id = ? AND user_id = ?', groupId, userId);
    if (userId === this.world.selfId) this.world.db.run("DELETE FROM pins WHERE scene = 'group' AND peer_id = ?", groupId);
    outbox.emit('group_member_decrease', {
      group_id: groupId,
      user_id: userId,
      ...(operatorId === undefined ? {} : { operator_id: operatorId }),
    });
  }

  /** Adds a user to a group (refusing blocked users and full groups). Call inside a change. */
  join(groupId: number, userId: number, by: JoinedBy, outbox: Outbox): void {
    const { world } = this;
    const group = world.group(groupId);
    if (!group) throw notFound(`no group ${groupId}`);
    world.requireUser(userId);
    if (world.member(groupId, userId)) throw invalidState(`${userId} is already a member of group ${groupId}`);
    if (world.db.get('SELECT 1 AS found FROM group_blocks WHERE group_id = ? AND user_id = ?', groupId, userId)) {
      throw invalidState(`${userId} was removed from group ${groupId} and may not join again`);
    }
    const count = world.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM members WHERE group_id = ?', groupId)?.n ?? 0;
    if (count >= group.max_member_count) throw invalidState(`group ${groupId} is full (${group.max_member_count} members)`);
    world.db.insert('members', {
      group_id: groupId,
      user_id: userId,
      card: '',
      title: '',
      level: 1,
      role: 'member',
      join_time: world.now(),
      last_sent_time: 0,
    });
    outbox.emit('group_member_increase', {
      group_id: groupId,
      user_id: userId,
      ...(by.operatorId === undefined ? {} : { operator_id: by.operatorId }),
      ...(by.invitorId === undefined ? {} : { invitor_id: by.invitorId }),
    });
  }

  announcements(groupId: number): GroupAnnouncementEntity[] {
    this.world.requireGroup(groupId);
    return this.world.db
      .all<{ announcement_id: string; user_id: number; time: number; content: string; image: string | null }>(
        'SELECT * FROM announcements WHERE group_id = ? ORDER BY time DESC, rowid DESC',
        groupId,
      )
      .map((row) => ({
        group_id: groupId,
        announcement_id: row.announcement_id,
        user_id: row.user_id,
        time: row.time,
        content: row.content,
        ...(row.image ? { image_url: this.world.links.signed('media', row.image) } : {}),
      }));
  }

  announce(actor: number, groupId: number, content: string, image: string | undefined): string {
    return this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'posting announcements');
      if (content.trim() === '') throw invalidArgument('content', 'an announcement cannot be empty');
      const id = newId('ann_');
      this.world.db.insert('announcements', {
        announcement_id: id,
        group_id: groupId,
        user_id: actor,
        time: this.world.now(),
        content,
        image: image ?? null,
      });
      return id;
    });
  }

  deleteAnnouncement(actor: number, groupId: number, announcementId: string): void {
    this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'deleting announcements');
      const { changes } = this.world.db.run(
        'DELETE FROM announcements WHERE group_id = ? AND announcement_id = ?',
        groupId,
        announcementId,
      );
      if (changes === 0) throw notFound(`no announcement ${JSON.stringify(announcementId)} in group ${groupId}`);
    });
  }

  private groupMessage(groupId: number, seq: number): { sender_id: number; time: number; segments: string } {
    const row = this.world.db.get<{ sender_id: number; time: number; segments: string }>(
      "SELECT sender_id, time, segments FROM messages WHERE scene = 'group' AND peer_id = ? AND seq = ? AND recalled = 0",
      groupId,
      seq,
    );
    if (!row) throw notFound(`no message ${seq} in group ${groupId}`);
    return row;
  }

  essence(groupId: number, pageIndex: number, pageSize: number): { messages: GroupEssenceMessage[]; is_end: boolean } {
    this.world.requireGroup(groupId);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
      throw invalidArgument('page_size', `expected 1 to 50, got ${pageSize}`);
    const rows = this.world.db.all<{
      message_seq: number;
      operator_id: number;
      operation_time: number;
      sender_id: number;
      time: number;
      segments: string;
    }>(
      `SELECT e.message_seq, e.operator_id, e.operation_time, m.sender_id, m.time, m.segments FROM essence e
       JOIN messages m ON m.scene = 'group' AND m.peer_id = e.group_id AND m.seq = e.message_seq
       WHERE e.group_id = ? AND m.recalled = 0 ORDER BY e.operation_time DESC, e.message_seq DESC LIMIT ? OFFSET ?`,
      groupId,
      pageSize + 1,
      pageIndex * pageSize,
    );
    const messages = rows.slice(0, pageSize).map((row) => ({
      group_id: groupId,
      message_seq: row.message_seq,
      message_time: row.time,
      sender_id: row.sender_id,
      sender_name: this.world.displayName(groupId, row.sender_id),
      operator_id: row.operator_id,
      operator_name: this.world.displayName(groupId, row.operator_id),
      operation_time: row.operation_time,
      segments: this.world.messages.withLinks(JSON.parse(row.segments) as IncomingSegment[]),
    }));
    return { messages, is_end: rows.length <= pageSize };
  }

  setEssence(actor: number, groupId: number, seq: number, isSet: boolean): void {
    this.world.change((outbox) => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'marking essence messages');
      this.groupMessage(groupId, seq);
      const { changes } = isSet
        ? this.world.db.run(
            'INSERT OR IGNORE INTO essence (group_id, message_seq, operator_id, operation_time) VALUES (?, ?, ?, ?)',
            groupId,
            seq,
            actor,
            this.world.now(),
          )
        : this.world.db.run('DELETE FROM essence WHERE group_id = ? AND message_seq = ?', groupId, seq);
      if (changes > 0)
        outbox.emit('group_essence_message_change', { group_id: groupId, message_seq: seq, operator_id: actor, is_set: isSet });
    });
  }

  react(actor: number, groupId: number, seq: number, reaction: string, type: 'face' | 'emoji', add: boolean): void {
    this.world.change((outbox) => {
      this.world.actorIn(groupId, actor);
      this.groupMessage(groupId, seq);
      if (reaction === '') throw invalidArgument('reaction', 'expected a face ID or an emoji');
      const { changes } = add
        ? this.world.db.run('INSERT OR IGNORE INTO reactions VALUES (?, ?, ?, ?, ?)', groupId, seq, actor, reaction, type)
        : this.world.db.run(
            'DELETE FROM reactions WHERE group_id = ? AND message_seq = ? AND user_id = ? AND reaction = ? AND reaction_type = ?',
            groupId,
            seq,
            actor,
            reaction,
            type,
          );
      if (changes > 0) {
        outbox.emit('group_message_reaction', {
          group_id: groupId,
          user_id: actor,
          message_seq: seq,
          face_id: reaction,
          reaction_type: type,
          is_add: add,
        });
      }
    });
  }

  /** Reactions on a group message: who reacted with what. */
  reactions(groupId: number, seq: number): Array<{ user_id: number; reaction: string; reaction_type: 'face' | 'emoji' }> {
    return this.world.db.all(
      'SELECT user_id, reaction, reaction_type FROM reactions WHERE group_id = ? AND message_seq = ? ORDER BY rowid',
      groupId,
      seq,
    );
  }

  nudge(actor: number, groupId: number, userId: number): void {
    this.world.change((outbox) => {
      this.world.actorIn(groupId, actor);
      this.world.requireMember(groupId, userId);
      outbox.emit('group_nudge', {
        group_id: groupId,
        sender_id: actor,
        receiver_id: userId,
        display_action: '戳了戳',
        display_suffix: '',
        display_action_img_url: '',
      });
    });
  }

  private toNotification(row: NotificationRow): GroupNotification {
    const base = { group_id: row.group_id, notification_seq: row.notification_seq };
    const operator = row.operator_id === null ? {} : { operator_id: row.operator_id };
    switch (row.type) {
      case 'join_request':
        return {
          type: 'join_request',
          ...base,
          is_filtered: row.is_filtered === 1,
          initiator_id: row.initiator_id as number,
          state: row.state ?? 'pending',
          ...operator,
          comment: row.comment,
        };
      case 'invited_join_request':
        return {
          type: 'invited_join_request',
          ...base,
          initiator_id: row.initiator_id as number,
          target_user_id: row.target_user_id as number,
          state: row.state ?? 'pending',
          ...operator,
        };
      case 'admin_change':
        return {
          type: 'admin_change',
          ...base,
          target_user_id: row.target_user_id as number,
          is_set: row.is_set === 1,
          operator_id: row.operator_id as number,
        };
      case 'kick':
        return { type: 'kick', ...base, target_user_id: row.target_user_id as number, operator_id: row.operator_id as number };
      case 'quit':
        return { type: 'quit', ...base, target_user_id: row.target_user_id as number };
    }
  }

  /** A page of notifications of the groups the bot is in, newest first. */
  notifications(
    start: number | undefined,
    filtered: boolean,
    limit: number,
  ): { notifications: GroupNotification[]; next_notification_seq?: number } {
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw invalidArgument('limit', `expected 1 to 50, got ${limit}`);
    const rows = this.world.db.all<NotificationRow>(
      `SELECT * FROM group_notifications WHERE notification_seq <= ? AND is_filtered = ?
       AND group_id IN (SELECT group_id FROM members WHERE user_id = ?) ORDER BY notification_seq DESC LIMIT ?`,
      start ?? Number.MAX_SAFE_INTEGER,
      filtered ? 1 : 0,
      this.world.selfId,
      limit + 1,
    );
    const notifications = rows.slice(0, limit).map((row) => this.toNotification(row));
    const next = rows[limit]?.notification_seq;
    return next === undefined ? { notifications } : { notifications, next_notification_seq: next };
  }

  /** `actor` asks to join a group; the admins (the bot among them, when it is one) see a join request. */
  requestJoin(actor: number, groupId: number, comment: string, filtered = false): number {
    return this.world.change((outbox) => {
      this.world.requireGroup(groupId);
      this.world.requireUser(actor);
      if (this.world.member(groupId, actor)) throw invalidState(`${actor} is already a member of group ${groupId}`);
      if (this.world.db.get('SELECT 1 AS found FROM group_blocks WHERE group_id = ? AND user_id = ?', groupId, actor)) {
        throw invalidState(`${actor} was removed from group ${groupId} and may not ask to join again`);
      }
      const seq = this.notify({
        group_id: groupId,
        type: 'join_request',
        initiator_id: actor,
        state: 'pending',
        comment,
        is_filtered: filtered ? 1 : 0,
      });
      outbox.emit('group_join_request', { group_id: groupId, notification_seq: seq, is_filtered: filtered, initiator_id: actor, comment });
      return seq;
    });
  }

  /**
   * A member invites a user into the group: an admin's or the owner's invitation takes effect at
   * once; a member's awaits approval as an invited-join request.
   */
  invite(actor: number, groupId: number, userId: number): number | undefined {
    return this.world.change((outbox) => {
      const inviter = this.world.actorIn(groupId, actor);
      this.world.requireUser(userId);
      if (this.world.member(groupId, userId)) throw invalidState(`${userId} is already a member of group ${groupId}`);
      if (inviter.role !== 'member') {
        this.join(groupId, userId, { invitorId: actor }, outbox);
        return undefined;
      }
      const seq = this.notify({
        group_id: groupId,
        type: 'invited_join_request',
        initiator_id: actor,
        target_user_id: userId,
        state: 'pending',
      });
      outbox.emit('group_invited_join_request', { group_id: groupId, notification_seq: seq, initiator_id: actor, target_user_id: userId });
      return seq;
    });
  }

  /** Accepts or rejects a pending join request or invited-join request; admins and the owner only. */
  answerRequest(
    actor: number,
    request: { seq: number; type: 'join_request' | 'invited_join_request'; groupId: number; filtered: boolean },
    accept: boolean,
  ): void {
    this.world.change((outbox) => {
      const operator: MemberRow = this.world.actorIn(request.groupId, actor);
      this.world.requireRole(operator, 'admin', 'answering join requests');
      const row = this.world.db.get<NotificationRow>(
        'SELECT * FROM group_notifications WHERE notification_seq = ? AND group_id = ? AND type = ? AND is_filtered = ?',
        request.seq,
        request.groupId,
        request.type,
        request.filtered ? 1 : 0,
      );
      if (!row) throw notFound(`no ${request.filtered ? 'filtered ' : ''}${request.type} ${request.seq} in group ${request.groupId}`);
      if (row.state !== 'pending') throw invalidState(`${request.type} ${request.seq} is already ${row.state}`);
      this.world.db.run(
        'UPDATE group_notifications SET state = ?, operator_id = ? WHERE notification_seq = ?',
        accept ? 'accepted' : 'rejected',
        actor,
        row.notification_seq,
      );
      if (!accept) return;
      if (row.type === 'join_request') this.join(row.group_id, row.initiator_id as number, { operatorId: actor }, outbox);
      else this.join(row.group_id, row.target_user_id as number, { operatorId: actor, invitorId: row.initiator_id as number }, outbox);
    });
  }

  /** A member of another group invites the bot into it. */
  inviteBot(actor: number, groupId: number, sourceGroupId: number | undefined): number {
    return this.world.change((outbox) => {
      if (!this.world.group(groupId)) throw notFound(`no group ${groupId}`);
      this.world.requireMember(groupId, actor);
      if (this.world.member(groupId, this.world.selfId)) throw invalidState(`the bot is already in group ${groupId}`);
      const seq = this.world.db.insert('group_invitations', {
        group_id: groupId,
        initiator_id: actor,
        source_group_id: sourceGroupId ?? null,
        state: 'pending',
        time: this.world.now(),
      });
      outbox.emit('group_invitation', {
        group_id: groupId,
        invitation_seq: seq,
        initiator_id: actor,
        ...(sourceGroupId === undefined ? {} : { source_group_id: sourceGroupId }),
      });
      return seq;
    });
  }

  answerInvitation(groupId: number, seq: number, accept: boolean): void {
    this.world.change((outbox) => {
      const row = this.world.db.get<InvitationRow>(
        'SELECT * FROM group_invitations WHERE invitation_seq = ? AND group_id = ?',
        seq,
        groupId,
      );
      if (!row) throw notFound(`no invitation ${seq} into group ${groupId}`);
      if (row.state !== 'pending') throw invalidState(`invitation ${seq} is already ${row.state}`);
      this.world.db.run('UPDATE group_invitations SET state = ? WHERE invitation_seq = ?', accept ? 'accepted' : 'rejected', seq);
      if (accept) this.join(groupId, this.world.selfId, { invitorId: row.initiator_id }, outbox);
    });
  }

  /** Fails unless `actor` may manage files of the group: the uploader or creator, an admin, or the owner. */
  requireFileRights(actor: MemberRow, ownerId: number, what: string): void {
    if (actor.user_id !== ownerId && actor.role === 'member') throw permissionDenied(`${what} needs the uploader, an admin or the owner`);
  }
}
