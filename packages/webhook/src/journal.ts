// Pending events: an in-memory queue per target, and a journal that keeps them across restarts.
// The memory journal keeps nothing; the SQLite journal (node:sqlite) writes each event before it
// is queued and deletes it once delivered or given up, so a restart loses no undelivered event.

import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface Item {
  readonly id: number;
  readonly body: Buffer;
  /** When it was queued, in ms since the epoch. */
  readonly queuedAt: number;
}

/** Where pending events are kept. */
export interface Journal {
  readonly durable: boolean;
  append(target: string, body: Buffer, queuedAt: number): number;
  remove(id: number): void;
  /** The events kept for a target, oldest first. */
  pending(target: string): Item[];
  /** Targets with kept events other than `targets`, and how many each has. */
  others(targets: readonly string[]): Array<{ target: string; count: number }>;
  /** Runs `work` as one write (one transaction for SQLite). */
  batch(work: () => void): void;
  close(): void;
}

export function memoryJournal(): Journal {
  let next = 1;
  return {
    durable: false,
    append: () => next++,
    remove() {},
    pending: () => [],
    others: () => [],
    batch: (work) => work(),
    close() {},
  };
}

/** A journal in a SQLite file (created when missing). */
export function sqliteJournal(path: string): Journal {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const db: DatabaseSync = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS milky_webhook_pending (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      target TEXT NOT NULL,
      body BLOB NOT NULL,
      queued_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS milky_webhook_pending_target ON milky_webhook_pending (target, id);
  `);
  const insert: StatementSync = db.prepare('INSERT INTO milky_webhook_pending (target, body, queued_at) VALUES (?, ?, ?)');
  const remove: StatementSync = db.prepare('DELETE FROM milky_webhook_pending WHERE id = ?');
  const select: StatementSync = db.prepare('SELECT id, body, queued_at FROM milky_webhook_pending WHERE target = ? ORDER BY id');
  const counts: StatementSync = db.prepare('SELECT target, COUNT(*) AS count FROM milky_webhook_pending GROUP BY target');
  let depth = 0;
  return {
    durable: true,
    append(target, body, queuedAt) {
      return Number(insert.run(target, body, queuedAt).lastInsertRowid);
    },
    remove(id) {
      remove.run(id);
    },
    pending(target) {
      return select.all(target).map((row) => ({
        id: Number(row.id),
        body: Buffer.from(row.body as Uint8Array),
        queuedAt: Number(row.queued_at),
      }));
    },
    others(targets) {
      const known = new Set(targets);
      return counts
        .all()
        .map((row) => ({ target: String(row.target), count: Number(row.count) }))
        .filter((row) => !known.has(row.target));
    },
    batch(work) {
      if (depth > 0) return work();
      depth++;
      db.exec('BEGIN');
      try {
        work();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    close() {
      db.close();
    },
  };
}

/** A first-in first-out queue of items, O(1) at both ends. */
export class Queue {
  private items: Item[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: Item): void {
    this.items.push(item);
  }

  shift(): Item | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as unknown as Item;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
