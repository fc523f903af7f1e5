// A group's settings and its members' standing: name, avatar, cards, special titles, admins and
// mutes.

import { invalidArgument, invalidState } from '../errors.ts';
import type { GroupNotifications } from './group-notifications.ts';
import type { Transactions } from './outbox.ts';
import type { Loaded } from './reader.ts';
import type { ResourceStore } from './resources.ts';
import { maxMuteSeconds, requireOutranks, requireRange, requireRole } from './rules.ts';
import type { Store } from './store.ts';

/** What `GroupSettings` uses: the rows, the transactions, stored avatars, and the notification list (admin changes). */
export interface GroupSettingsDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly notifications: GroupNotifications;
}

/** A group's settings and its members' cards, titles, roles and mutes. */
export class GroupSettings {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly resources: ResourceStore;
  private readonly notifications: GroupNotifications;

  constructor(deps: GroupSettingsDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.resources = deps.resources;
    this.notifications = deps.notifications;
  }

  setName(actor: number, groupId: number, name: string): void {
    this.tx.change((outbox) => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'renaming the group');
      if (name.trim() === '') throw invalidArgument('new_group_name', 'a group name cannot be empty');
      if (name.length > 60) throw invalidArgument('new_group_name', 'a group name has at most 60 characters');
      const { changes } = this.store.db.run('UPDATE groups SET name = ? WHERE group_id = ? AND name <> ?', name, groupId, name);
      if (changes > 0) outbox.emit('group_name_change', { group_id: groupId, new_group_name: name, operator_id: actor });
    });
  }

  /** Sets the group's avatar to an image already read (see `MediaReader`); admins and the owner only. */
  setAvatar(actor: number, groupId: number, image: Loaded): void {
    this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', "changing the group's avatar");
      const { resourceId } = this.resources.put(image.data, 'avatar', image.info);
      this.store.db.run('UPDATE groups SET avatar = ? WHERE group_id = ?', resourceId, groupId);
    });
  }

  /** Members set their own card; admins set members' cards, the owner anyone's. */
  setCard(actor: number, groupId: number, userId: number, card: string): void {
    this.tx.change(() => {
      const operator = this.store.actorIn(groupId, actor);
      const target = this.store.requireMember(groupId, userId);
      if (actor !== userId) requireOutranks(operator, target, `setting the card of ${userId}`);
      if (card.length > 60) throw invalidArgument('card', 'a card has at most 60 characters');
      this.store.db.run('UPDATE members SET card = ? WHERE group_id = ? AND user_id = ?', card, groupId, userId);
    });
  }

  setTitle(actor: number, groupId: number, userId: number, title: string): void {
    this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'owner', 'granting a special title');
      this.store.requireMember(groupId, userId);
      if (Buffer.byteLength(title) > 18)
        throw invalidArgument('special_title', 'a special title has at most 18 bytes (6 Chinese characters)');
      this.store.db.run('UPDATE members SET title = ? WHERE group_id = ? AND user_id = ?', title, groupId, userId);
    });
  }

  setAdmin(actor: number, groupId: number, userId: number, isSet: boolean): void {
    this.tx.change((outbox) => {
      requireRole(this.store.actorIn(groupId, actor), 'owner', 'appointing admins');
      const target = this.store.requireMember(groupId, userId);
      if (target.role === 'owner') throw invalidState(`${userId} owns group ${groupId}`);
      const role = isSet ? 'admin' : 'member';
      if (target.role === role) return;
      this.store.db.run('UPDATE members SET role = ? WHERE group_id = ? AND user_id = ?', role, groupId, userId);
      this.notifications.record({
        group_id: groupId,
        type: 'admin_change',
        target_user_id: userId,
        operator_id: actor,
        is_set: isSet ? 1 : 0,
      });
      outbox.emit('group_admin_change', { group_id: groupId, user_id: userId, operator_id: actor, is_set: isSet });
    });
  }

  /** Mutes a member for `duration` seconds (0 lifts the mute); the actor must rank above them. */
  mute(actor: number, groupId: number, userId: number, duration: number): void {
    this.tx.change((outbox) => {
      const operator = this.store.actorIn(groupId, actor);
      const target = this.store.requireMember(groupId, userId);
      requireOutranks(operator, target, `muting ${userId}`);
      requireRange('duration', duration, 0, maxMuteSeconds, ' seconds (30 days)');
      if (duration === 0 && !this.store.isMuted(target)) return;
      const until = duration === 0 ? 0 : this.store.now() + duration;
      this.store.db.run('UPDATE members SET mute_until = ? WHERE group_id = ? AND user_id = ?', until, groupId, userId);
      outbox.emit('group_mute', { group_id: groupId, user_id: userId, operator_id: actor, duration });
    });
  }

  wholeMute(actor: number, groupId: number, on: boolean): void {
    this.tx.change((outbox) => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'muting the whole group');
      const { changes } = this.store.db.run(
        'UPDATE groups SET whole_mute = ? WHERE group_id = ? AND whole_mute <> ?',
        on ? 1 : 0,
        groupId,
        on ? 1 : 0,
      );
      if (changes > 0) outbox.emit('group_whole_mute', { group_id: groupId, operator_id: actor, is_mute: on });
    });
  }
}
