// What members do to each other's messages and to each other in a group: reactions and nudges.

import { invalidArgument } from '../errors.ts';
import type { Transactions } from './outbox.ts';
import type { Store } from './store.ts';

/** What `GroupInteractions` uses: the rows and the transactions. */
export interface GroupInteractionsDeps {
  readonly store: Store;
  readonly tx: Transactions;
}

/** Reactions to group messages and nudges between members. */
export class GroupInteractions {
  private readonly store: Store;
  private readonly tx: Transactions;

  constructor(deps: GroupInteractionsDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
  }

  react(actor: number, groupId: number, seq: number, reaction: string, type: 'face' | 'emoji', add: boolean): void {
    this.tx.change((outbox) => {
      this.store.actorIn(groupId, actor);
      this.store.groupMessage(groupId, seq);
      if (reaction === '') throw invalidArgument('reaction', 'expected a face ID or an emoji');
      const { changes } = add
        ? this.store.db.run('INSERT OR IGNORE INTO reactions VALUES (?, ?, ?, ?, ?)', groupId, seq, actor, reaction, type)
        : this.store.db.run(
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
    return this.store.db.all(
      'SELECT user_id, reaction, reaction_type FROM reactions WHERE group_id = ? AND message_seq = ? ORDER BY rowid',
      groupId,
      seq,
    );
  }

  nudge(actor: number, groupId: number, userId: number): void {
    this.tx.change((outbox) => {
      this.store.actorIn(groupId, actor);
      this.store.requireMember(groupId, userId);
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
}
