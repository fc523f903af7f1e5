// The world's storage: one SQLite database (node:sqlite), in a file or in memory. Every change
// runs in a transaction; statements are prepared once and reused. A world's file belongs to the
// process that opened it: it is locked exclusively until closed (see `Database`).

import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

const schemaVersion = 2;

/**
 * What takes a world of an older schema to the next version: `migrations[v]` runs on a world of
 * version `v`, in the transaction that records version `v + 1`. Each is frozen once released.
 */
const migrations: Readonly<Record<number, string>> = {
  // Messages move to an ordinary table with a unique index on their key: a `WITHOUT ROWID` table
  // stores each row, segments and all, in its key's B-tree, which packs large rows poorly.
  1: `
CREATE TABLE messages_v2 (
  scene TEXT NOT NULL, peer_id INTEGER NOT NULL, seq INTEGER NOT NULL, sender_id INTEGER NOT NULL,
  time INTEGER NOT NULL, segments TEXT NOT NULL, via_group INTEGER, recalled INTEGER NOT NULL DEFAULT 0,
  UNIQUE (scene, peer_id, seq)
);
INSERT INTO messages_v2 (scene, peer_id, seq, sender_id, time, segments, via_group, recalled)
  SELECT scene, peer_id, seq, sender_id, time, segments, via_group, recalled FROM messages ORDER BY scene, peer_id, seq;
DROP TABLE messages;
ALTER TABLE messages_v2 RENAME TO messages;
`,
};

const schema = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  user_id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL, sex TEXT NOT NULL,
  qid TEXT NOT NULL, age INTEGER NOT NULL, level INTEGER NOT NULL, country TEXT NOT NULL, city TEXT NOT NULL,
  school TEXT NOT NULL, bio TEXT NOT NULL, avatar TEXT
);
CREATE TABLE friend_categories (category_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE friends (
  user_id INTEGER PRIMARY KEY REFERENCES users, category_id INTEGER NOT NULL REFERENCES friend_categories,
  remark TEXT NOT NULL
);
CREATE TABLE groups (
  group_id INTEGER PRIMARY KEY, name TEXT NOT NULL, max_member_count INTEGER NOT NULL, remark TEXT NOT NULL,
  created_time INTEGER NOT NULL, description TEXT NOT NULL, question TEXT NOT NULL,
  whole_mute INTEGER NOT NULL DEFAULT 0, avatar TEXT
);
CREATE TABLE members (
  group_id INTEGER NOT NULL REFERENCES groups, user_id INTEGER NOT NULL REFERENCES users,
  card TEXT NOT NULL, title TEXT NOT NULL, level INTEGER NOT NULL, role TEXT NOT NULL,
  join_time INTEGER NOT NULL, last_sent_time INTEGER NOT NULL, mute_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_by_user ON members (user_id);
CREATE TABLE group_blocks (group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (group_id, user_id)) WITHOUT ROWID;
CREATE TABLE messages (
  scene TEXT NOT NULL, peer_id INTEGER NOT NULL, seq INTEGER NOT NULL, sender_id INTEGER NOT NULL,
  time INTEGER NOT NULL, segments TEXT NOT NULL, via_group INTEGER, recalled INTEGER NOT NULL DEFAULT 0,
  UNIQUE (scene, peer_id, seq)
);
CREATE TABLE read_marks (scene TEXT NOT NULL, peer_id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (scene, peer_id)) WITHOUT ROWID;
CREATE TABLE pins (scene TEXT NOT NULL, peer_id INTEGER NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (scene, peer_id)) WITHOUT ROWID;
CREATE TABLE forwards (forward_id TEXT PRIMARY KEY, messages TEXT NOT NULL);
CREATE TABLE blobs (sha1 TEXT PRIMARY KEY, data BLOB NOT NULL, size INTEGER NOT NULL, mime TEXT NOT NULL);
CREATE TABLE resources (resource_id TEXT PRIMARY KEY, sha1 TEXT NOT NULL REFERENCES blobs, kind TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE custom_faces (id INTEGER PRIMARY KEY AUTOINCREMENT, resource_id TEXT NOT NULL);
CREATE TABLE private_files (
  file_id TEXT PRIMARY KEY, user_id INTEGER NOT NULL, sender_id INTEGER NOT NULL, name TEXT NOT NULL,
  size INTEGER NOT NULL, hash TEXT NOT NULL, resource_id TEXT NOT NULL, time INTEGER NOT NULL
);
CREATE TABLE group_folders (
  folder_id TEXT PRIMARY KEY, group_id INTEGER NOT NULL, parent_folder_id TEXT NOT NULL, name TEXT NOT NULL,
  created_time INTEGER NOT NULL, last_modified_time INTEGER NOT NULL, creator_id INTEGER NOT NULL
);
CREATE TABLE group_files (
  file_id TEXT PRIMARY KEY, group_id INTEGER NOT NULL, parent_folder_id TEXT NOT NULL, name TEXT NOT NULL,
  size INTEGER NOT NULL, uploaded_time INTEGER NOT NULL, expire_time INTEGER, uploader_id INTEGER NOT NULL,
  downloaded_times INTEGER NOT NULL DEFAULT 0, resource_id TEXT NOT NULL
);
CREATE INDEX group_files_by_folder ON group_files (group_id, parent_folder_id);
CREATE TABLE announcements (
  announcement_id TEXT PRIMARY KEY, group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, time INTEGER NOT NULL,
  content TEXT NOT NULL, image TEXT
);
CREATE TABLE essence (
  group_id INTEGER NOT NULL, message_seq INTEGER NOT NULL, operator_id INTEGER NOT NULL, operation_time INTEGER NOT NULL,
  PRIMARY KEY (group_id, message_seq)
) WITHOUT ROWID;
CREATE TABLE reactions (
  group_id INTEGER NOT NULL, message_seq INTEGER NOT NULL, user_id INTEGER NOT NULL, reaction TEXT NOT NULL,
  reaction_type TEXT NOT NULL, UNIQUE (group_id, message_seq, user_id, reaction, reaction_type)
);
CREATE TABLE likes (user_id INTEGER NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (user_id, day)) WITHOUT ROWID;
CREATE TABLE friend_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT, initiator_id INTEGER NOT NULL, target_user_id INTEGER NOT NULL,
  time INTEGER NOT NULL, state TEXT NOT NULL, comment TEXT NOT NULL, via TEXT NOT NULL, is_filtered INTEGER NOT NULL
);
CREATE TABLE group_notifications (
  notification_seq INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL, type TEXT NOT NULL,
  time INTEGER NOT NULL, is_filtered INTEGER NOT NULL DEFAULT 0, initiator_id INTEGER, target_user_id INTEGER,
  operator_id INTEGER, is_set INTEGER, state TEXT, comment TEXT NOT NULL DEFAULT ''
);
CREATE TABLE group_invitations (
  invitation_seq INTEGER PRIMARY KEY AUTOINCREMENT, group_id INTEGER NOT NULL, initiator_id INTEGER NOT NULL,
  source_group_id INTEGER, state TEXT NOT NULL, time INTEGER NOT NULL
);
`;

export type Row = Record<string, SQLInputValue>;

/** A prepared statement, and the names of its columns when it returns its rows as arrays. */
interface Prepared {
  readonly statement: StatementSync;
  readonly columns: readonly string[] | undefined;
}

/**
 * Has `statement` return its rows as arrays when node:sqlite can (`setReturnArrays`: Node.js 24), and
 * returns the names of its columns; else leaves it returning objects. Objects that node:sqlite
 * makes cost about twice what it costs to read an array and build the same object here (about
 * 1 µs a row of seven columns), and reading their properties is slower too.
 */
function rowsAsArrays(statement: StatementSync): readonly string[] | undefined {
  const able = statement as StatementSync & { setReturnArrays?: (enabled: boolean) => void };
  if (typeof able.setReturnArrays !== 'function' || typeof statement.columns !== 'function') return undefined;
  able.setReturnArrays(true);
  return statement.columns().map((column) => column.name);
}

/** A row read as an array, as the object node:sqlite would have made (a later column of the same name wins). */
function objectOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
  return row;
}

/** The database of one world. */
export class Database {
  readonly sqlite: DatabaseSync;
  /** Whether the database was created by this open (and so needs seeding). */
  readonly created: boolean;
  private readonly statements = new Map<string, Prepared>();
  private depth = 0;
  /** Whether an outer transaction is open (`beginOuter`): transactions then run as savepoints inside it. */
  private outer = false;
  private readonly begin: StatementSync;
  private readonly commit: StatementSync;
  private readonly rollback: StatementSync;
  private readonly savepoint: StatementSync;
  private readonly release: StatementSync;
  private readonly rollbackTo: StatementSync;

  /** Opens (creating when missing) the database at `path`, or a throw-away one for `':memory:'`. */
  constructor(path: string) {
    const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
    this.sqlite = new DatabaseSync(path);
    // A world in memory is all pages: 16 KB pages hold eleven messages of a kilobyte and a bit
    // where 4 KB pages hold two. (Files keep 4 KB pages: each commit writes its pages to the WAL.)
    if (path === ':memory:') this.sqlite.exec('PRAGMA page_size = 16384');
    this.sqlite.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    // Files: write-ahead log, synced at checkpoints rather than at each commit (a power cut may lose
    // the last commits, never the file's consistency), and locked by this connection alone from
    // its first transaction until it closes: a commit then costs no lock and shared-memory round,
    // about 7 µs less per change. Another process opening the same file waits (busy_timeout) and
    // fails while the server runs.
    if (path !== ':memory:') {
      this.sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA locking_mode = EXCLUSIVE;');
    }
    this.begin = this.sqlite.prepare('BEGIN IMMEDIATE');
    this.commit = this.sqlite.prepare('COMMIT');
    this.rollback = this.sqlite.prepare('ROLLBACK');
    this.savepoint = this.sqlite.prepare('SAVEPOINT change');
    this.release = this.sqlite.prepare('RELEASE change');
    this.rollbackTo = this.sqlite.prepare('ROLLBACK TO change');
    const found = this.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    this.created = found === undefined;
    if (this.created) {
      this.transaction(() => {
        this.sqlite.exec(schema);
        this.setMeta('schema_version', String(schemaVersion));
      });
    } else {
      const recorded = this.meta('schema_version');
      let version = Number(recorded);
      if (!Number.isInteger(version) || version < 1 || version > schemaVersion) {
        throw new Error(
          `${path} holds a world of schema version ${recorded ?? 'unknown'}; this server reads versions 1 to ${schemaVersion}`,
        );
      }
      for (; version < schemaVersion; version++) {
        const next = version + 1;
        const migration = migrations[version] as string;
        this.transaction(() => {
          this.sqlite.exec(migration);
          this.setMeta('schema_version', String(next));
        });
      }
    }
  }

  private statement(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const statement = this.sqlite.prepare(sql);
      prepared = { statement, columns: rowsAsArrays(statement) };
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** The first row of a query, or `undefined`. */
  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    const { statement, columns } = this.statement(sql);
    const row = statement.get(...params);
    return (columns && row ? objectOf(columns, row as unknown as unknown[]) : row) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    const { statement, columns } = this.statement(sql);
    const rows = statement.all(...params);
    return (columns ? rows.map((row) => objectOf(columns, row as unknown as unknown[])) : rows) as T[];
  }

  /** Runs a change; returns how many rows it changed and the last inserted row id. */
  run(sql: string, ...params: SQLInputValue[]): { changes: number; lastId: number } {
    const result = this.statement(sql).statement.run(...params);
    return { changes: Number(result.changes), lastId: Number(result.lastInsertRowid) };
  }

  /** Inserts a row into a table, its columns named by the object's keys. */
  insert(table: string, row: Row): number {
    const columns = Object.keys(row);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    return this.run(sql, ...columns.map((column) => row[column] as SQLInputValue)).lastId;
  }

  /** One past the largest value of an integer column, and at least `floor`: the next free QQ or group number. */
  nextId(table: 'users' | 'groups', column: 'user_id' | 'group_id', floor: number): number {
    const largest = this.get<{ n: number | null }>(`SELECT MAX(${column}) AS n FROM ${table}`)?.n ?? 0;
    return Math.max(floor, largest + 1);
  }

  meta(key: string): string | undefined {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }

  /**
   * Runs `work` in one transaction (nested calls join the outer one); a throw rolls it all back.
   * Inside an outer transaction (`beginOuter`) it runs in a savepoint instead: a throw rolls back
   * `work` alone, and what it did is kept only if the outer transaction commits.
   */
  transaction<T>(work: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return work();
      } finally {
        this.depth--;
      }
    }
    const inner = this.outer;
    (inner ? this.savepoint : this.begin).run();
    this.depth = 1;
    try {
      const result = work();
      (inner ? this.release : this.commit).run();
      return result;
    } catch (error) {
      if (!inner) this.rollback.run();
      else {
        try {
          this.rollbackTo.run();
          this.release.run();
        } catch {
          // Some failures (a full disk, an I/O error) end the whole transaction: no savepoint is left.
          this.abandonOuter();
        }
      }
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  /** Whether an outer transaction is open and still alive (a failure inside may have ended it). */
  get inOuter(): boolean {
    return this.outer;
  }

  /** Gives up the outer transaction, rolling back what is left of it. */
  private abandonOuter(): void {
    this.outer = false;
    try {
      this.rollback.run();
    } catch {
      // Already ended by SQLite.
    }
  }

  /** Opens an outer transaction: the `transaction`s run until `endOuter` are savepoints inside it. */
  beginOuter(): void {
    if (this.outer || this.depth > 0) throw new Error('a transaction is already open');
    this.begin.run();
    this.outer = true;
  }

  /**
   * Ends the outer transaction: commits it, or (`commit` false) rolls it back. A failing commit
   * rolls back and throws. Nothing is done when a failure already ended it.
   */
  endOuter(commit: boolean): void {
    if (!this.outer) return;
    if (!commit) {
      this.abandonOuter();
      return;
    }
    this.outer = false;
    try {
      this.commit.run();
    } catch (error) {
      this.abandonOuter();
      throw error;
    }
  }

  close(): void {
    this.statements.clear();
    if (this.sqlite.isOpen) this.sqlite.close();
  }
}
