// A group's notification list: join requests, invited-join requests, admin changes, removals and
// departures, as the protocol shows them. Other group services add to it inside their changes.

import type { GroupNotification } from '@milky/types';
import { groupPageLimit, requireRange } from './rules.ts';
import type { Store } from './store.ts';

/** A row of `group_notifications`. */
export interface NotificationRow {
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

/** What `GroupNotifications` uses: the rows. */
export interface GroupNotificationsDeps {
  readonly store: Store;
}

/** The notification list of the groups the bot is in. */
export class GroupNotifications {
  private readonly store: Store;

  constructor(deps: GroupNotificationsDeps) {
    this.store = deps.store;
  }

  /** Adds a notification to a group's list; returns its seq. Call inside a change. */
  record(row: Pick<NotificationRow, 'group_id' | 'type'> & Partial<Omit<NotificationRow, 'notification_seq' | 'time'>>): number {
    return this.store.db.insert('group_notifications', { ...row, time: this.store.now() });
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
  list(
    start: number | undefined,
    filtered: boolean,
    limit: number,
  ): { notifications: GroupNotification[]; next_notification_seq?: number } {
    requireRange('limit', limit, 1, groupPageLimit);
    const rows = this.store.db.all<NotificationRow>(
      `SELECT * FROM group_notifications WHERE notification_seq <= ? AND is_filtered = ?
       AND group_id IN (SELECT group_id FROM members WHERE user_id = ?) ORDER BY notification_seq DESC LIMIT ?`,
      start ?? Number.MAX_SAFE_INTEGER,
      filtered ? 1 : 0,
      this.store.selfId,
      limit + 1,
    );
    const notifications = rows.slice(0, limit).map((row) => this.toNotification(row));
    const next = rows[limit]?.notification_seq;
    return next === undefined ? { notifications } : { notifications, next_notification_seq: next };
  }
}
