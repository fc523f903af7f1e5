// The simulated QQ world, seen from the bot account: its people, friends, groups, messages and
// files, kept in one database. Every operation names the account acting (the bot, or anyone else
// when the world is driven from outside), checks what that account may do, changes the world in
// one transaction, and only then sends the events the protocol defines for the change. This file
// only wires the layers; see docs/world-layers.md.

import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import type { Event, IncomingMessage } from '@milky/types';
import { Database } from './database.ts';
import { Files } from './files.ts';
import { Groups } from './groups.ts';
import { type Chat, Messages, type SegmentInput, type SendResult } from './messages.ts';
import { Transactions } from './outbox.ts';
import { People } from './people.ts';
import { type Loaded, MediaReader } from './reader.ts';
import { Links, ResourceStore } from './resources.ts';
import { type GroupRow, Store, type UserRow } from './store.ts';

export type { Outbox } from './outbox.ts';
export type { GroupRow, MemberRow, Role, Scene, UserRow } from './store.ts';

/** Options of a `World`: its file, its clock, and its bounds. */
export interface WorldOptions {
  /** SQLite file of the world, or `':memory:'` for one that lasts as long as the process. */
  readonly path: string;
  /** The clock, in Unix seconds. Default: the system clock. */
  readonly now?: (() => number) | undefined;
  /** Also send `message_receive` for the messages the bot account sends. Default false. */
  readonly reportSelfMessages?: boolean | undefined;
  /** Largest image, recording, video or file accepted, in bytes. Default 32 MiB. */
  readonly maxResourceBytes?: number | undefined;
  /** How long downloading an `http(s)://` resource may take, in ms. Default 15 000. */
  readonly downloadTimeout?: number | undefined;
  /** How long temporary resource and file links work, in seconds. Default 3600. */
  readonly linkTtl?: number | undefined;
  /**
   * The folder `file://` URIs may read from (its files and those of its subfolders, symbolic
   * links resolved). Default: none, any file the server's process can read.
   */
  readonly fileRoot?: string | undefined;
  /**
   * Largest message accepted, in bytes of its segments as JSON (the resources it carries are
   * bounded by `maxResourceBytes` instead); a larger one is refused with -400. Default 64 KiB.
   */
  readonly maxMessageBytes?: number | undefined;
  /**
   * Most bytes of messages in one `get_history_messages` answer; a page stops early (its
   * `next_message_seq` goes on from there), with at least one message. Default 4 MiB.
   */
  readonly maxHistoryBytes?: number | undefined;
}

/** A folder that exists, its symbolic links resolved. */
function folder(path: string, what: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new TypeError(`${what}: no folder at ${path}`);
  }
  if (!statSync(real).isDirectory()) throw new TypeError(`${what}: ${path} is not a folder`);
  return real;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < 1) throw new TypeError(`${what} must be a positive integer, got ${String(value)}`);
  return resolved;
}

/**
 * The simulated QQ world in SQLite: people, friends, groups, messages, files. `World` only wires
 * the layers: the store (rows and entities), the rules (pure functions in `rules.ts`), the outbox
 * (`tx`: transactions and their events, sent after commit) and the domain services, each given
 * the services it uses. Transactions are opened by the domain services only (and by the seed,
 * which fills a new world in one change).
 */
export class World {
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly db: Database;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly store: Store;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly tx: Transactions;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly reader: MediaReader;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly resources: ResourceStore;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly links: Links;
  readonly options: { readonly [K in Exclude<keyof WorldOptions, 'path' | 'now' | 'fileRoot'>]-?: Exclude<WorldOptions[K], undefined> } & {
    readonly fileRoot: string | undefined;
  };
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly people: People;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly groups: Groups;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly messages: Messages;
  /** One of the world's layers, for the reference server's handlers and sandbox. @internal */
  readonly files: Files;

  /**
   * Opens the world in `options.path`. A new database needs seeding (the bot account) before
   * use; `created` tells whether it is new.
   */
  constructor(options: WorldOptions) {
    // The options are checked before the database is opened, so that a bad one leaves nothing open.
    this.options = {
      reportSelfMessages: options.reportSelfMessages ?? false,
      maxResourceBytes: options.maxResourceBytes ?? 32 * 1024 * 1024,
      downloadTimeout: options.downloadTimeout ?? 15_000,
      linkTtl: options.linkTtl ?? 3600,
      fileRoot: options.fileRoot === undefined ? undefined : folder(options.fileRoot, 'fileRoot'),
      maxMessageBytes: positive(options.maxMessageBytes, 64 * 1024, 'maxMessageBytes'),
      maxHistoryBytes: positive(options.maxHistoryBytes, 4 * 1024 * 1024, 'maxHistoryBytes'),
    };
    const db = new Database(options.path);
    const now = options.now ?? (() => Math.floor(Date.now() / 1000));
    let secret = db.meta('link_secret');
    if (secret === undefined) {
      secret = randomBytes(32).toString('base64url');
      db.setMeta('link_secret', secret);
    }
    const store = new Store(db, now);
    const tx = new Transactions(db, now, () => store.selfId);
    const links = new Links(Buffer.from(secret), now, this.options.linkTtl);
    const resources = new ResourceStore(db, now);
    const reader = new MediaReader(this.options);
    const messages = new Messages({ store, tx, resources, links, reader, limits: this.options });
    this.db = db;
    this.store = store;
    this.tx = tx;
    this.links = links;
    this.resources = resources;
    this.reader = reader;
    this.messages = messages;
    this.people = new People({ store, tx, resources, links });
    this.groups = new Groups({ store, tx, resources, links, messages });
    this.files = new Files({ store, tx, resources, links, messages });
  }

  /** QQ number of the bot account (0 until a new world is seeded). */
  get selfId(): number {
    return this.store.selfId;
  }

  /** The clock, in Unix seconds. */
  get now(): () => number {
    return this.store.now;
  }

  /** Whether the database was created by this open. */
  get created(): boolean {
    return this.db.created;
  }

  /** Calls `listener` with every event, after the change that made it has committed. */
  onEvent(listener: (event: Event) => void): () => void {
    return this.tx.onEvent(listener);
  }

  /** Calls `listener` with every message stored, the bot's own included, once its change has committed. */
  onMessage(listener: (message: IncomingMessage) => void): () => void {
    return this.tx.onMessage(listener);
  }

  /** Reads the bytes a URI names, within the world's limits; `image` requires an image. @internal */
  read(uri: string, field: string, image = false): Promise<Loaded> {
    return this.reader.read(uri, field, image);
  }

  /** `actor` sends a message into a chat, through the one send path (`Messages.post`). @internal */
  send(actor: number, chat: Chat, segments: readonly SegmentInput[]): Promise<SendResult> {
    return this.messages.post(actor, chat, segments);
  }

  /** The person `userId`, if there is one. @internal */
  user(userId: number): UserRow | undefined {
    return this.store.user(userId);
  }

  /** The person `userId`; -404 when there is none. @internal */
  requireUser(userId: number): UserRow {
    return this.store.requireUser(userId);
  }

  /** The group `groupId`, if there is one. @internal */
  group(groupId: number): GroupRow | undefined {
    return this.store.group(groupId);
  }

  /** A group the bot account is in; -404 otherwise. @internal */
  requireGroup(groupId: number): GroupRow {
    return this.store.requireGroup(groupId);
  }

  /**
   * Commits the changes waiting for their turn's commit (sending their events), refuses the calls
   * that have not run yet, then closes the database.
   */
  close(): void {
    this.tx.close();
    this.db.close();
  }
}
