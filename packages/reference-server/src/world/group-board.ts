// What a group keeps on show: announcements and essence messages.

import type { GroupAnnouncementEntity, GroupEssenceMessage, IncomingSegment } from '@milky/types';
import { invalidArgument, notFound } from '../errors.ts';
import type { Messages } from './messages.ts';
import type { Transactions } from './outbox.ts';
import type { Loaded } from './reader.ts';
import { type Links, newId, type ResourceStore } from './resources.ts';
import { groupPageLimit, requireRange, requireRole } from './rules.ts';
import type { Store } from './store.ts';

/** What `GroupBoard` uses: the rows, the transactions, stored images with their links, and messages (essence shows them). */
export interface GroupBoardDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly links: Links;
  readonly messages: Messages;
}

/** Announcements and essence messages of the groups. */
export class GroupBoard {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly resources: ResourceStore;
  private readonly links: Links;
  private readonly messages: Messages;

  constructor(deps: GroupBoardDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.resources = deps.resources;
    this.links = deps.links;
    this.messages = deps.messages;
  }

  announcements(groupId: number): GroupAnnouncementEntity[] {
    this.store.requireGroup(groupId);
    return this.store.db
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
        ...(row.image ? { image_url: this.links.signed('media', row.image) } : {}),
      }));
  }

  /** Posts an announcement, with an image already read (see `MediaReader`); admins and the owner only. */
  announce(actor: number, groupId: number, content: string, image?: Loaded | undefined): string {
    return this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'posting announcements');
      if (content.trim() === '') throw invalidArgument('content', 'an announcement cannot be empty');
      const id = newId('ann_');
      const stored = image && this.resources.put(image.data, 'image', image.info).resourceId;
      this.store.db.insert('announcements', {
        announcement_id: id,
        group_id: groupId,
        user_id: actor,
        time: this.store.now(),
        content,
        image: stored ?? null,
      });
      return id;
    });
  }

  deleteAnnouncement(actor: number, groupId: number, announcementId: string): void {
    this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'deleting announcements');
      const { changes } = this.store.db.run(
        'DELETE FROM announcements WHERE group_id = ? AND announcement_id = ?',
        groupId,
        announcementId,
      );
      if (changes === 0) throw notFound(`no announcement ${JSON.stringify(announcementId)} in group ${groupId}`);
    });
  }

  essence(groupId: number, pageIndex: number, pageSize: number): { messages: GroupEssenceMessage[]; is_end: boolean } {
    this.store.requireGroup(groupId);
    requireRange('page_size', pageSize, 1, groupPageLimit);
    const rows = this.store.db.all<{
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
      sender_name: this.store.displayName(groupId, row.sender_id),
      operator_id: row.operator_id,
      operator_name: this.store.displayName(groupId, row.operator_id),
      operation_time: row.operation_time,
      segments: this.messages.withLinks(JSON.parse(row.segments) as IncomingSegment[]),
    }));
    return { messages, is_end: rows.length <= pageSize };
  }

  setEssence(actor: number, groupId: number, seq: number, isSet: boolean): void {
    this.tx.change((outbox) => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'marking essence messages');
      this.store.groupMessage(groupId, seq);
      const { changes } = isSet
        ? this.store.db.run(
            'INSERT OR IGNORE INTO essence (group_id, message_seq, operator_id, operation_time) VALUES (?, ?, ?, ?)',
            groupId,
            seq,
            actor,
            this.store.now(),
          )
        : this.store.db.run('DELETE FROM essence WHERE group_id = ? AND message_seq = ?', groupId, seq);
      if (changes > 0)
        outbox.emit('group_essence_message_change', { group_id: groupId, message_seq: seq, operator_id: actor, is_set: isSet });
    });
  }
}
