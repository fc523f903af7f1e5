// Files: those sent in friend chats, and each group's file area with its folders (one level under
// the root, `/`, as in QQ). Uploads also appear in the chat as a message with a file segment.
// A group file may be temporary: it has an `expire_time`, is gone once that has passed, and is
// made permanent by the owner or an admin (`persist_group_file`), as QQ's 转存为永久文件.

import { randomUUID } from 'node:crypto';
import type { GroupFileEntity, GroupFolderEntity } from '@milky/types';
import { invalidArgument, invalidState, notFound } from '../errors.ts';
import { triSha1 } from './media.ts';
import { newId, type ResourceContent } from './resources.ts';
import type { World } from './world.ts';

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

function checkName(field: string, name: string): void {
  if (name.trim() === '') throw invalidArgument(field, 'a name cannot be empty');
  if (/[/\\\0]/.test(name)) throw invalidArgument(field, 'a name cannot contain /, \\ or NUL');
  if (name.length > 255) throw invalidArgument(field, 'a name has at most 255 characters');
}

export class Files {
  private readonly world: World;

  constructor(world: World) {
    this.world = world;
  }

  /** Sends a file in the chat with a friend, by the bot or by that friend. */
  uploadPrivate(actor: number, friendId: number, data: Buffer, name: string): string {
    checkName('file_name', name);
    return this.world.change((outbox) => {
      this.world.messages.checkSender(actor, { scene: 'friend', peerId: friendId });
      const stored = this.world.resources.put(data, 'file');
      const fileId = newId('file_');
      const hash = triSha1(data);
      this.world.db.insert('private_files', {
        file_id: fileId,
        user_id: friendId,
        sender_id: actor,
        name,
        size: data.length,
        hash,
        resource_id: stored.resourceId,
        time: this.world.now(),
      });
      const segment = { type: 'file' as const, data: { file_id: fileId, file_name: name, file_size: data.length, file_hash: hash } };
      this.world.messages.store(actor, { scene: 'friend', peerId: friendId }, undefined, [segment], outbox);
      outbox.emit('friend_file_upload', {
        user_id: friendId,
        file_id: fileId,
        file_name: name,
        file_size: data.length,
        file_hash: hash,
        is_self: actor === this.world.selfId,
      });
      return fileId;
    });
  }

  private folder(groupId: number, folderId: string): FolderRow | undefined {
    return this.world.db.get<FolderRow>('SELECT * FROM group_folders WHERE group_id = ? AND folder_id = ?', groupId, folderId);
  }

  private requireFolder(groupId: number, folderId: string, field = 'parent_folder_id'): void {
    if (folderId !== root && !this.folder(groupId, folderId))
      throw notFound(`${field}: no folder ${JSON.stringify(folderId)} in group ${groupId}`);
  }

  private file(groupId: number, fileId: string): GroupFileRow {
    const row = this.world.db.get<GroupFileRow>(
      'SELECT * FROM group_files WHERE group_id = ? AND file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
      groupId,
      fileId,
      this.world.now(),
    );
    if (!row) throw notFound(`no file ${JSON.stringify(fileId)} in group ${groupId}`);
    return row;
  }

  /** Uploads a file to a group; `expireTime` (Unix seconds) makes it temporary. */
  uploadGroup(actor: number, groupId: number, folderId: string, data: Buffer, name: string, expireTime?: number): string {
    checkName('file_name', name);
    return this.world.change((outbox) => {
      this.world.actorIn(groupId, actor);
      this.requireFolder(groupId, folderId);
      const stored = this.world.resources.put(data, 'file');
      const fileId = `/${randomUUID()}`;
      const now = this.world.now();
      this.world.db.insert('group_files', {
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
      if (folderId !== root) this.world.db.run('UPDATE group_folders SET last_modified_time = ? WHERE folder_id = ?', now, folderId);
      const segment = { type: 'file' as const, data: { file_id: fileId, file_name: name, file_size: data.length } };
      this.world.messages.store(actor, { scene: 'group', peerId: groupId }, undefined, [segment], outbox);
      outbox.emit('group_file_upload', { group_id: groupId, user_id: actor, file_id: fileId, file_name: name, file_size: data.length });
      return fileId;
    });
  }

  /** A download link of a file sent in the chat with a friend, by the bot (`selfSent`) or by the friend. */
  privateDownloadUrl(friendId: number, fileId: string, hash: string, selfSent: boolean): string {
    this.world.requireFriend(friendId);
    const row = this.world.db.get(
      'SELECT 1 AS found FROM private_files WHERE file_id = ? AND user_id = ? AND hash = ? AND sender_id = ?',
      fileId,
      friendId,
      hash,
      selfSent ? this.world.selfId : friendId,
    );
    if (!row) {
      const sender = selfSent ? 'the bot' : String(friendId);
      throw notFound(`no file ${JSON.stringify(fileId)} with that hash sent by ${sender} in the chat with ${friendId} (is_self_send)`);
    }
    return this.world.links.signed('files', fileId);
  }

  groupDownloadUrl(groupId: number, fileId: string): string {
    this.world.requireGroup(groupId);
    this.file(groupId, fileId);
    return this.world.links.signed('files', fileId);
  }

  /** A download link of any file, group or private, by its ID; `undefined` when there is none. */
  url(fileId: string): string | undefined {
    const found =
      this.world.db.get(
        'SELECT 1 AS found FROM group_files WHERE file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
        fileId,
        this.world.now(),
      ) ?? this.world.db.get('SELECT 1 AS found FROM private_files WHERE file_id = ?', fileId);
    return found ? this.world.links.signed('files', fileId) : undefined;
  }

  list(groupId: number, folderId: string): { files: GroupFileEntity[]; folders: GroupFolderEntity[] } {
    this.world.requireGroup(groupId);
    this.requireFolder(groupId, folderId);
    const files = this.world.db
      .all<GroupFileRow>(
        `SELECT * FROM group_files WHERE group_id = ? AND parent_folder_id = ? AND (expire_time IS NULL OR expire_time > ?)
         ORDER BY uploaded_time, name`,
        groupId,
        folderId,
        this.world.now(),
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
    const folders = this.world.db
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
    const member = this.world.actorIn(groupId, actor);
    const row = this.file(groupId, fileId);
    if (row.parent_folder_id !== folderId)
      throw notFound(`parent_folder_id: file ${JSON.stringify(fileId)} is not in folder ${JSON.stringify(folderId)}`);
    this.world.groups.requireFileRights(member, row.uploader_id, what);
    return row;
  }

  move(actor: number, groupId: number, fileId: string, from: string, to: string): void {
    this.world.change(() => {
      this.changeable(actor, groupId, fileId, from, 'moving a file');
      this.requireFolder(groupId, to, 'target_folder_id');
      this.world.db.run('UPDATE group_files SET parent_folder_id = ? WHERE file_id = ?', to, fileId);
    });
  }

  rename(actor: number, groupId: number, fileId: string, folderId: string, name: string): void {
    this.world.change(() => {
      this.changeable(actor, groupId, fileId, folderId, 'renaming a file');
      checkName('new_file_name', name);
      this.world.db.run('UPDATE group_files SET name = ? WHERE file_id = ?', name, fileId);
    });
  }

  delete(actor: number, groupId: number, fileId: string): void {
    this.world.change(() => {
      const row = this.file(groupId, fileId);
      this.changeable(actor, groupId, fileId, row.parent_folder_id, 'deleting a file');
      this.world.db.run('DELETE FROM group_files WHERE file_id = ?', fileId);
    });
  }

  /** Makes a temporary file permanent (it loses its `expire_time`): the owner or an admin may, as in QQ. */
  persist(actor: number, groupId: number, fileId: string): void {
    this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'making a file permanent');
      this.file(groupId, fileId);
      this.world.db.run('UPDATE group_files SET expire_time = NULL WHERE file_id = ?', fileId);
    });
  }

  createFolder(actor: number, groupId: number, name: string): string {
    checkName('folder_name', name);
    return this.world.change(() => {
      this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', 'creating folders');
      if (this.world.db.get('SELECT 1 AS found FROM group_folders WHERE group_id = ? AND name = ?', groupId, name)) {
        throw invalidState(`group ${groupId} already has a folder named ${JSON.stringify(name)}`);
      }
      const folderId = `/${randomUUID()}`;
      const now = this.world.now();
      this.world.db.insert('group_folders', {
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
    this.world.requireRole(this.world.actorIn(groupId, actor), 'admin', what);
    const folder = this.folder(groupId, folderId);
    if (!folder) throw notFound(`no folder ${JSON.stringify(folderId)} in group ${groupId}`);
    return folder;
  }

  renameFolder(actor: number, groupId: number, folderId: string, name: string): void {
    checkName('new_folder_name', name);
    this.world.change(() => {
      this.requireOwnFolder(actor, groupId, folderId, 'renaming folders');
      this.world.db.run('UPDATE group_folders SET name = ?, last_modified_time = ? WHERE folder_id = ?', name, this.world.now(), folderId);
    });
  }

  /** Deletes a folder and the files in it. */
  deleteFolder(actor: number, groupId: number, folderId: string): void {
    this.world.change(() => {
      this.requireOwnFolder(actor, groupId, folderId, 'deleting folders');
      this.world.db.run('DELETE FROM group_files WHERE group_id = ? AND parent_folder_id = ?', groupId, folderId);
      this.world.db.run('DELETE FROM group_folders WHERE folder_id = ?', folderId);
    });
  }

  /** The content and name of a file, for its download link; `count` counts a download of a group file. */
  download(fileId: string, count = true): (ResourceContent & { name: string }) | undefined {
    const { db } = this.world;
    const group = db.get<{ resource_id: string; name: string }>(
      'SELECT resource_id, name FROM group_files WHERE file_id = ? AND (expire_time IS NULL OR expire_time > ?)',
      fileId,
      this.world.now(),
    );
    if (group && count)
      this.world.change(() => db.run('UPDATE group_files SET downloaded_times = downloaded_times + 1 WHERE file_id = ?', fileId));
    const found =
      group ?? db.get<{ resource_id: string; name: string }>('SELECT resource_id, name FROM private_files WHERE file_id = ?', fileId);
    const content = found && this.world.resources.content(found.resource_id);
    return content && found ? { ...content, name: found.name } : undefined;
  }
}
