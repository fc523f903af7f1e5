// Files: those sent in friend chats, and each group's file area with its folders (one level under
// the root, `/`, as in QQ). Uploads also appear in the chat as a message with a file segment.
// A group file may be temporary: it has an `expire_time`, is gone once that has passed, and is
// made permanent by the owner or an admin (`persist_group_file`), as QQ's 转存为永久文件.

import { randomUUID } from 'node:crypto';
import type { GroupFileEntity, GroupFolderEntity } from '@milky/types';
import { invalidState, notFound } from '../errors.ts';
import { triSha1 } from './media.ts';
import type { Messages } from './messages.ts';
import type { Transactions } from './outbox.ts';
import { type Links, newId, type ResourceContent, type ResourceInfo, type ResourceStore } from './resources.ts';
import { requireFileName as checkName, requireFileRights, requireRole } from './rules.ts';
import type { Store } from './store.ts';

interface GroupFileRow {
  file_id: string;
  group_id: number;
  parent_folder_id: string;
  name: string;
  size: number;
  uploaded_time: number;
  expire_time: number | null;
  uploader_id: number;
  downloaded_times: number;
  resource_id: string;
}

interface FolderRow {
  folder_id: string;
  group_id: number;
  parent_folder_id: string;
  name: string;
  created_time: number;
  last_modified_time: number;
  creator_id: number;
}

const root = '/';

/** What `Files` uses: the rows, the transactions, stored resources and their links, and messages (an upload is also a message). */
export interface FilesDeps {
  readonly store: Store;
  readonly tx: Transactions;
  readonly resources: ResourceStore;
  readonly links: Links;
  readonly messages: Messages;
}

/** Files sent in friend chats and the groups' file areas. */
export class Files {
  private readonly store: Store;
  private readonly tx: Transactions;
  private readonly resources: ResourceStore;
  private readonly links: Links;
  private readonly messages: Messages;

  constructor(deps: FilesDeps) {
    this.store = deps.store;
    this.tx = deps.tx;
    this.resources = deps.resources;
    this.links = deps.links;
    this.messages = deps.messages;
  }

  /** Sends a file in the chat with a friend, by the bot or by that friend. */
  uploadPrivate(actor: number, friendId: number, data: Buffer, name: string): string {
    checkName('file_name', name);
    return this.tx.change((outbox) => {
      this.messages.checkSender(actor, { scene: 'friend', peerId: friendId });
      const stored = this.resources.put(data, 'file');
      const fileId = newId('file_');
      const hash = triSha1(data);
      this.store.db.insert('private_files', {
        file_id: fileId,
        user_id: friendId,
        sender_id: actor,
        name,
        size: data.length,
        hash,
        resource_id: stored.resourceId,
        time: this.store.now(),
      });
      const segment = { type: 'file' as const, data: { file_id: fileId, file_name: name, file_size: data.length, file_hash: hash } };
      this.messages.append(actor, { scene: 'friend', peerId: friendId }, undefined, [segment], outbox);
      outbox.emit('friend_file_upload', {
        user_id: friendId,
        file_id: fileId,
        file_name: name,
        file_size: data.length,
        file_hash: hash,
        is_self: actor === this.store.selfId,
      });
      return fileId;
    });
  }

  private folder(groupId: number, folderId: string): FolderRow | undefined {
    return this.store.db.get<FolderRow>('SELECT * FROM group_folders WHERE group_id = ? AND folder_id = ?', groupId, folderId);
  }

  private requireFolder(groupId: number, folderId: string, field = 'parent_folder_id'): void {
    if (folderId !== root && !this.folder(groupId, folderId))
      throw notFound(`${field}: no folder ${JSON.stringify(folderId)} in group ${groupId}`);
  }

  private file(groupId: number, fileId: string): GroupFileRow {
    const row = this.store.db.get<GroupFileRow>(
      'SELECT * FROM group_files WHERE group_id = ? AND file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
      groupId,
      fileId,
      this.store.now(),
    );
    if (!row) throw notFound(`no file ${JSON.stringify(fileId)} in group ${groupId}`);
    return row;
  }

  /** Uploads a file to a group; `expireTime` (Unix seconds) makes it temporary. */
  uploadGroup(actor: number, groupId: number, folderId: string, data: Buffer, name: string, expireTime?: number): string {
    checkName('file_name', name);
    return this.tx.change((outbox) => {
      this.store.actorIn(groupId, actor);
      this.requireFolder(groupId, folderId);
      const stored = this.resources.put(data, 'file');
      const fileId = `/${randomUUID()}`;
      const now = this.store.now();
      this.store.db.insert('group_files', {
        file_id: fileId,
        group_id: groupId,
        parent_folder_id: folderId,
        name,
        size: data.length,
        uploaded_time: now,
        expire_time: expireTime ?? null,
        uploader_id: actor,
        resource_id: stored.resourceId,
      });
      if (folderId !== root) this.store.db.run('UPDATE group_folders SET last_modified_time = ? WHERE folder_id = ?', now, folderId);
      const segment = { type: 'file' as const, data: { file_id: fileId, file_name: name, file_size: data.length } };
      this.messages.append(actor, { scene: 'group', peerId: groupId }, undefined, [segment], outbox);
      outbox.emit('group_file_upload', { group_id: groupId, user_id: actor, file_id: fileId, file_name: name, file_size: data.length });
      return fileId;
    });
  }

  /** A download link of a file sent in the chat with a friend, by the bot (`selfSent`) or by the friend. */
  privateDownloadUrl(friendId: number, fileId: string, hash: string, selfSent: boolean): string {
    this.store.requireFriend(friendId);
    const row = this.store.db.get(
      'SELECT 1 AS found FROM private_files WHERE file_id = ? AND user_id = ? AND hash = ? AND sender_id = ?',
      fileId,
      friendId,
      hash,
      selfSent ? this.store.selfId : friendId,
    );
    if (!row) {
      const sender = selfSent ? 'the bot' : String(friendId);
      throw notFound(`no file ${JSON.stringify(fileId)} with that hash sent by ${sender} in the chat with ${friendId} (is_self_send)`);
    }
    return this.links.signed('files', fileId);
  }

  groupDownloadUrl(groupId: number, fileId: string): string {
    this.store.requireGroup(groupId);
    this.file(groupId, fileId);
    return this.links.signed('files', fileId);
  }

  /** A download link of any file, group or private, by its ID; `undefined` when there is none. */
  url(fileId: string): string | undefined {
    const found =
      this.store.db.get(
        'SELECT 1 AS found FROM group_files WHERE file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
        fileId,
        this.store.now(),
      ) ?? this.store.db.get('SELECT 1 AS found FROM private_files WHERE file_id = ?', fileId);
    return found ? this.links.signed('files', fileId) : undefined;
  }

  list(groupId: number, folderId: string): { files: GroupFileEntity[]; folders: GroupFolderEntity[] } {
    this.store.requireGroup(groupId);
    this.requireFolder(groupId, folderId);
    const files = this.store.db
      .all<GroupFileRow>(
        `SELECT * FROM group_files WHERE group_id = ? AND parent_folder_id = ? AND (expire_time IS NULL OR expire_time > ?)
         ORDER BY uploaded_time, name`,
        groupId,
        folderId,
        this.store.now(),
      )
      .map(
        (row): GroupFileEntity => ({
          group_id: groupId,
          file_id: row.file_id,
          file_name: row.name,
          parent_folder_id: row.parent_folder_id,
          file_size: row.size,
          uploaded_time: row.uploaded_time,
          ...(row.expire_time === null ? {} : { expire_time: row.expire_time }),
          uploader_id: row.uploader_id,
          downloaded_times: row.downloaded_times,
        }),
      );
    const folders = this.store.db
      .all<FolderRow & { file_count: number }>(
        `SELECT f.*, (SELECT COUNT(*) FROM group_files g WHERE g.group_id = f.group_id AND g.parent_folder_id = f.folder_id) AS file_count
         FROM group_folders f WHERE f.group_id = ? AND f.parent_folder_id = ? ORDER BY f.created_time, f.name`,
        groupId,
        folderId,
      )
      .map(
        (row): GroupFolderEntity => ({
          group_id: groupId,
          folder_id: row.folder_id,
          parent_folder_id: row.parent_folder_id,
          folder_name: row.name,
          created_time: row.created_time,
          last_modified_time: row.last_modified_time,
          creator_id: row.creator_id,
          file_count: row.file_count,
        }),
      );
    return { files, folders };
  }

  /** Checks that a file is in `folderId` and that `actor` may change it. */
  private changeable(actor: number, groupId: number, fileId: string, folderId: string, what: string): GroupFileRow {
    const member = this.store.actorIn(groupId, actor);
    const row = this.file(groupId, fileId);
    if (row.parent_folder_id !== folderId)
      throw notFound(`parent_folder_id: file ${JSON.stringify(fileId)} is not in folder ${JSON.stringify(folderId)}`);
    requireFileRights(member, row.uploader_id, what);
    return row;
  }

  move(actor: number, groupId: number, fileId: string, from: string, to: string): void {
    this.tx.change(() => {
      this.changeable(actor, groupId, fileId, from, 'moving a file');
      this.requireFolder(groupId, to, 'target_folder_id');
      this.store.db.run('UPDATE group_files SET parent_folder_id = ? WHERE file_id = ?', to, fileId);
    });
  }

  rename(actor: number, groupId: number, fileId: string, folderId: string, name: string): void {
    this.tx.change(() => {
      this.changeable(actor, groupId, fileId, folderId, 'renaming a file');
      checkName('new_file_name', name);
      this.store.db.run('UPDATE group_files SET name = ? WHERE file_id = ?', name, fileId);
    });
  }

  delete(actor: number, groupId: number, fileId: string): void {
    this.tx.change(() => {
      const row = this.file(groupId, fileId);
      this.changeable(actor, groupId, fileId, row.parent_folder_id, 'deleting a file');
      this.store.db.run('DELETE FROM group_files WHERE file_id = ?', fileId);
    });
  }

  /** Makes a temporary file permanent (it loses its `expire_time`): the owner or an admin may, as in QQ. */
  persist(actor: number, groupId: number, fileId: string): void {
    this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'making a file permanent');
      this.file(groupId, fileId);
      this.store.db.run('UPDATE group_files SET expire_time = NULL WHERE file_id = ?', fileId);
    });
  }

  createFolder(actor: number, groupId: number, name: string): string {
    checkName('folder_name', name);
    return this.tx.change(() => {
      requireRole(this.store.actorIn(groupId, actor), 'admin', 'creating folders');
      if (this.store.db.get('SELECT 1 AS found FROM group_folders WHERE group_id = ? AND name = ?', groupId, name)) {
        throw invalidState(`group ${groupId} already has a folder named ${JSON.stringify(name)}`);
      }
      const folderId = `/${randomUUID()}`;
      const now = this.store.now();
      this.store.db.insert('group_folders', {
        folder_id: folderId,
        group_id: groupId,
        parent_folder_id: root,
        name,
        created_time: now,
        last_modified_time: now,
        creator_id: actor,
      });
      return folderId;
    });
  }

  private requireOwnFolder(actor: number, groupId: number, folderId: string, what: string): FolderRow {
    requireRole(this.store.actorIn(groupId, actor), 'admin', what);
    const folder = this.folder(groupId, folderId);
    if (!folder) throw notFound(`no folder ${JSON.stringify(folderId)} in group ${groupId}`);
    return folder;
  }

  renameFolder(actor: number, groupId: number, folderId: string, name: string): void {
    checkName('new_folder_name', name);
    this.tx.change(() => {
      this.requireOwnFolder(actor, groupId, folderId, 'renaming folders');
      this.store.db.run('UPDATE group_folders SET name = ?, last_modified_time = ? WHERE folder_id = ?', name, this.store.now(), folderId);
    });
  }

  /** Deletes a folder and the files in it. */
  deleteFolder(actor: number, groupId: number, folderId: string): void {
    this.tx.change(() => {
      this.requireOwnFolder(actor, groupId, folderId, 'deleting folders');
      this.store.db.run('DELETE FROM group_files WHERE group_id = ? AND parent_folder_id = ?', groupId, folderId);
      this.store.db.run('DELETE FROM group_folders WHERE folder_id = ?', folderId);
    });
  }

  /** The content and name of a file, for its download link; `count` counts a download of a group file. */
  download(fileId: string, count = true): (ResourceContent & { name: string }) | undefined {
    const found = this.stored(fileId);
    if (found?.group && count) this.countDownload(fileId);
    const content = found && this.resources.content(found.resource_id);
    return content && found ? { ...content, name: found.name } : undefined;
  }

  /** The type, size and name of a file, its bytes left unread (for `HEAD` of its download link). */
  describe(fileId: string): (ResourceInfo & { name: string }) | undefined {
    const found = this.stored(fileId);
    const info = found && this.resources.info(found.resource_id);
    return info && found ? { ...info, name: found.name } : undefined;
  }

  /** The resource and name of a group file that has not expired, or of a private file. */
  private stored(fileId: string): { resource_id: string; name: string; group: boolean } | undefined {
    const { db } = this.store;
    const group = db.get<{ resource_id: string; name: string }>(
      'SELECT resource_id, name FROM group_files WHERE file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
      fileId,
      this.store.now(),
    );
    if (group) return { ...group, group: true };
    const own = db.get<{ resource_id: string; name: string }>('SELECT resource_id, name FROM private_files WHERE file_id = ?', fileId);
    return own && { ...own, group: false };
  }

  /** Counts a download of a group file (a private file's downloads are not counted). */
  countDownload(fileId: string): void {
    this.tx.change(() => this.store.db.run('UPDATE group_files SET downloaded_times = downloaded_times + 1 WHERE file_id = ?', fileId));
  }
}
