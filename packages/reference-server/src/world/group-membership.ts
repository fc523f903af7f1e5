// Who is in a group: creating groups, joining (directly, by request, by invitation), removals,
// departures, disbanding, and the bot's invitations into other groups.

import { invalidArgument, invalidState, notFound } from '../errors.ts';
import type { GroupNotifications, NotificationRow } from './group-notifications.ts';
import type { Outbox, Transactions } from './outbox.ts';
import { requireOutranks, requireRole } from './rules.ts';
import type { MemberRow, Store } from './store.ts';

interface InvitationRow {
  invitation_seq: number;
  group_id: number;
  initiator_id: number;
  source_group_id: number | null;
  state: string;
}

/** Who brought a new member in, as `group_member_increase` reports it. */
export interface JoinedBy {
  /** The admin who let the user in. */
  readonly operatorId?: number | undefined;
  /** The member who invited the user. */
  readonly invitorId?: number | undefined;
}

/** A group to create, with its owner and members. */
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

/** What `GroupMembership` uses: the rows, the transactions, and the notification list it adds to. */
export interface GroupMembershipDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly notifications: GroupNotifications;
}

/** Who is in each group, and how they get in and out. */
export class GroupMembership {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly notifications: GroupNotifications;

  constructor(deps: GroupMembershipDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.notifications = deps.notifications;
  }

  /** Creates a group with its members (no event: it is how the world is built). */
  create(group: NewGroup): number {
    return this.tx.change(() => {
      const { db } = this.store;
      const groupId =
        group.group_id ?? Math.max(20001, (db.get<{ n: number | null }>('SELECT MAX(group_id) AS n FROM groups')?.n ?? 0) + 1);
      if (this.store.group(groupId)) throw invalidState(`group ${groupId} already exists`);
      if (group.name.trim() === '') throw invalidArgument('name', 'a group name cannot be empty');
      const now = this.store.now();
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
        if (!this.store.user(member.user_id)) throw notFound(`${field}: no user ${member.user_id}`);
        if (this.store.member(groupId, member.user_id)) throw invalidArgument(field, `${member.user_id} is listed twice`);
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
    this.tx.change((outbox) => this.join(groupId, userId, {}, outbox));
  }

  /** Removes a member; `block` refuses their later requests to join. */
  kick(actor: number, groupId: number, userId: number, block: boolean): void {
    this.tx.change((outbox) => {
      const operator = this.store.actorIn(groupId, actor);
      const target = this.store.requireMember(groupId, userId);
      requireOutranks(operator, target, `removing ${userId}`);
      this.remove(groupId, userId, outbox, actor);
      if (block) this.store.db.run('INSERT OR IGNORE INTO group_blocks (group_id, user_id) VALUES (?, ?)', groupId, userId);
      this.notifications.record({ group_id: groupId, type: 'kick', target_user_id: userId, operator_id: actor });
    });
  }

  /** `actor` leaves a group; the owner cannot. */
  quit(actor: number, groupId: number): void {
    this.tx.change((outbox) => {
      const member = this.store.actorIn(groupId, actor);
      if (member.role === 'owner') throw invalidState(`${actor} owns group ${groupId} and cannot leave it`);
      this.remove(groupId, actor, outbox, undefined);
      this.notifications.record({ group_id: groupId, type: 'quit', target_user_id: actor });
    });
  }

  /**
   * The owner disbands a group: the bot (which must be in it, though not as the owner: QQ has
   * no API for that) gets `group_disband`, and the group, its members, messages, files,
   * announcements and notifications are gone from the world.
   */
  disband(actor: number, groupId: number): void {
    this.tx.change((outbox) => {
      const owner = this.store.actorIn(groupId, actor);
      requireRole(owner, 'owner', 'disbanding the group');
      if (actor === this.store.selfId) throw invalidState('the bot cannot disband a group: the protocol has no API for it');
      const { db } = this.store;
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
    this.store.db.run('DELETE FROM members WHERE group_id = ? AND user_id = ?', groupId, userId);
    if (userId === this.store.selfId) this.store.db.run("DELETE FROM pins WHERE scene = 'group' AND peer_id = ?", groupId);
    outbox.emit('group_member_decrease', {
      group_id: groupId,
      user_id: userId,
      ...(operatorId === undefined ? {} : { operator_id: operatorId }),
    });
  }

  /** Adds a user to a group (refusing blocked users and full groups). Call inside a change. */
  join(groupId: number, userId: number, by: JoinedBy, outbox: Outbox): void {
    const { store } = this;
    const group = store.group(groupId);
    if (!group) throw notFound(`no group ${groupId}`);
    store.requireUser(userId);
    if (store.member(groupId, userId)) throw invalidState(`${userId} is already a member of group ${groupId}`);
    if (store.db.get('SELECT 1 AS found FROM group_blocks WHERE group_id = ? AND user_id = ?', groupId, userId)) {
      throw invalidState(`${userId} was removed from group ${groupId} and may not join again`);
    }
    const count = store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM members WHERE group_id = ?', groupId)?.n ?? 0;
    if (count >= group.max_member_count) throw invalidState(`group ${groupId} is full (${group.max_member_count} members)`);
    store.db.insert('members', {
      group_id: groupId,
      user_id: userId,
      card: '',
      title: '',
      level: 1,
      role: 'member',
      join_time: store.now(),
      last_sent_time: 0,
    });
    outbox.emit('group_member_increase', {
      group_id: groupId,
      user_id: userId,
      ...(by.operatorId === undefined ? {} : { operator_id: by.operatorId }),
      ...(by.invitorId === undefined ? {} : { invitor_id: by.invitorId }),
    });
  }

  /** `actor` asks to join a group; the admins (the bot among them, when it is one) see a join request. */
  requestJoin(actor: number, groupId: number, comment: string, filtered = false): number {
    return this.tx.change((outbox) => {
      this.store.requireGroup(groupId);
      this.store.requireUser(actor);
      if (this.store.member(groupId, actor)) throw invalidState(`${actor} is already a member of group ${groupId}`);
      if (this.store.db.get('SELECT 1 AS found FROM group_blocks WHERE group_id = ? AND user_id = ?', groupId, actor)) {
        throw invalidState(`${actor} was removed from group ${groupId} and may not ask to join again`);
      }
      const seq = this.notifications.record({
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
    return this.tx.change((outbox) => {
      const inviter = this.store.actorIn(groupId, actor);
      this.store.requireUser(userId);
      if (this.store.member(groupId, userId)) throw invalidState(`${userId} is already a member of group ${groupId}`);
      if (inviter.role !== 'member') {
        this.join(groupId, userId, { invitorId: actor }, outbox);
        return undefined;
      }
      const seq = this.notifications.record({
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
    this.tx.change((outbox) => {
      const operator: MemberRow = this.store.actorIn(request.groupId, actor);
      requireRole(operator, 'admin', 'answering join requests');
      const row = this.store.db.get<NotificationRow>(
        'SELECT * FROM group_notifications WHERE notification_seq = ? AND group_id = ? AND type = ? AND is_filtered = ?',
        request.seq,
        request.groupId,
        request.type,
        request.filtered ? 1 : 0,
      );
      if (!row) throw notFound(`no ${request.filtered ? 'filtered ' : ''}${request.type} ${request.seq} in group ${request.groupId}`);
      if (row.state !== 'pending') throw invalidState(`${request.type} ${request.seq} is already ${row.state}`);
      this.store.db.run(
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
    return this.tx.change((outbox) => {
      if (!this.store.group(groupId)) throw notFound(`no group ${groupId}`);
      this.store.requireMember(groupId, actor);
      if (this.store.member(groupId, this.store.selfId)) throw invalidState(`the bot is already in group ${groupId}`);
      const seq = this.store.db.insert('group_invitations', {
        group_id: groupId,
        initiator_id: actor,
        source_group_id: sourceGroupId ?? null,
        state: 'pending',
        time: this.store.now(),
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
    this.tx.change((outbox) => {
      const row = this.store.db.get<InvitationRow>(
        'SELECT * FROM group_invitations WHERE invitation_seq = ? AND group_id = ?',
        seq,
        groupId,
      );
      if (!row) throw notFound(`no invitation ${seq} into group ${groupId}`);
      if (row.state !== 'pending') throw invalidState(`invitation ${seq} is already ${row.state}`);
      this.store.db.run('UPDATE group_invitations SET state = ? WHERE invitation_seq = ?', accept ? 'accepted' : 'rejected', seq);
      if (accept) this.join(groupId, this.store.selfId, { invitorId: row.initiator_id }, outbox);
    });
  }
}
