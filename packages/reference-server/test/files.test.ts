import { describe, expect, test } from 'vitest';
import { base64Uri, codes, download, failure, start } from './helpers.ts';

describe('file APIs', () => {
  test('private files: sent into the chat, downloaded with their hash', async () => {
    await using t = await start();
    const content = Buffer.from('quarterly report');
    const { file_id } = await t.client.api.upload_private_file({ user_id: 10002, file_uri: base64Uri(content), file_name: '报告 Q3.txt' });
    const [event] = t.sent('friend_file_upload');
    expect(event?.data).toMatchObject({ user_id: 10002, file_id, file_name: '报告 Q3.txt', file_size: content.length, is_self: true });
    const hash = event?.data.file_hash ?? '';
    const { messages } = await t.client.api.get_history_messages({ message_scene: 'friend', peer_id: 10002, limit: 1 });
    expect(messages[0]?.segments).toEqual([
      { type: 'file', data: { file_id, file_name: '报告 Q3.txt', file_size: content.length, file_hash: hash } },
    ]);
    const { download_url } = await t.client.api.get_private_file_download_url({
      user_id: 10002,
      file_id,
      file_hash: hash,
      is_self_send: true,
    });
    const response = await fetch(download_url);
    expect(response.headers.get('content-disposition')).toContain("filename*=UTF-8''%E6%8A%A5%E5%91%8A%20Q3.txt");
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
    await failure(
      t.client.api.get_private_file_download_url({ user_id: 10002, file_id, file_hash: 'wrong', is_self_send: true }),
      codes.notFound,
    );
    await failure(t.client.api.upload_private_file({ user_id: 10008, file_uri: base64Uri('x'), file_name: 'a' }), codes.notFound);
    await failure(t.client.api.upload_private_file({ user_id: 10002, file_uri: base64Uri('x'), file_name: 'a/b' }), codes.invalidArgument);
  });

  test('group files and folders: upload, list, move, rename, download, delete', async () => {
    await using t = await start();
    const { folder_id } = await t.client.api.create_group_folder({ group_id: 20002, folder_name: 'docs' });
    await failure(t.client.api.create_group_folder({ group_id: 20002, folder_name: 'docs' }), codes.invalidState);
    const { file_id } = await t.client.api.upload_group_file({ group_id: 20002, file_uri: base64Uri('v1'), file_name: 'spec.md' });
    const second = await t.client.api.upload_group_file({
      group_id: 20002,
      parent_folder_id: folder_id,
      file_uri: base64Uri('v2'),
      file_name: 'notes.md',
    });
    expect(t.sent('group_file_upload').map((event) => [event.data.file_id, event.data.user_id, event.data.file_size])).toEqual([
      [file_id, 10001, 2],
      [second.file_id, 10001, 2],
    ]);
    let root = await t.client.api.get_group_files({ group_id: 20002 });
    expect(root.files.map((file) => file.file_name)).toEqual(['spec.md']);
    expect(root.folders.map((folder) => [folder.folder_name, folder.file_count])).toEqual([['docs', 1]]);

    await t.client.api.move_group_file({ group_id: 20002, file_id, target_folder_id: folder_id });
    await failure(t.client.api.move_group_file({ group_id: 20002, file_id, target_folder_id: folder_id }), codes.notFound);
    await t.client.api.rename_group_file({ group_id: 20002, file_id, parent_folder_id: folder_id, new_file_name: 'spec-v1.md' });
    const docs = await t.client.api.get_group_files({ group_id: 20002, parent_folder_id: folder_id });
    expect(docs.files.map((file) => file.file_name).sort()).toEqual(['notes.md', 'spec-v1.md']);

    const { download_url } = await t.client.api.get_group_file_download_url({ group_id: 20002, file_id });
    expect((await download(download_url)).bytes.toString()).toBe('v1');
    await download(download_url);
    const counted = (await t.client.api.get_group_files({ group_id: 20002, parent_folder_id: folder_id })).files.find(
      (file) => file.file_id === file_id,
    );
    expect(counted?.downloaded_times).toBe(2);

    await t.client.api.rename_group_folder({ group_id: 20002, folder_id, new_folder_name: 'documents' });
    root = await t.client.api.get_group_files({ group_id: 20002 });
    expect(root.folders.map((folder) => folder.folder_name)).toEqual(['documents']);
    await t.client.api.delete_group_file({ group_id: 20002, file_id });
    await failure(t.client.api.get_group_file_download_url({ group_id: 20002, file_id }), codes.notFound);
    await t.client.api.delete_group_folder({ group_id: 20002, folder_id });
    await failure(t.client.api.get_group_file_download_url({ group_id: 20002, file_id: second.file_id }), codes.notFound);
    expect(await t.client.api.get_group_files({ group_id: 20002 })).toEqual({ files: [], folders: [] });
    await failure(t.client.api.get_group_files({ group_id: 20002, parent_folder_id: folder_id }), codes.notFound);
  });

  test('members manage their own files; folders are for admins', async () => {
    await using t = await start();
    await failure(t.client.api.create_group_folder({ group_id: 20003, folder_name: 'x' }), codes.permissionDenied);
    const theirs = t.world.files.uploadGroup(10006, 20003, '/', Buffer.from('owner file'), 'rules.txt');
    const mine = await t.client.api.upload_group_file({ group_id: 20003, file_uri: base64Uri('mine'), file_name: 'mine.txt' });
    await failure(t.client.api.delete_group_file({ group_id: 20003, file_id: theirs }), codes.permissionDenied);
    await failure(t.client.api.rename_group_file({ group_id: 20003, file_id: theirs, new_file_name: 'x' }), codes.permissionDenied);
    await t.client.api.rename_group_file({ group_id: 20003, file_id: mine.file_id, new_file_name: 'still mine.txt' });
    await t.client.api.delete_group_file({ group_id: 20003, file_id: mine.file_id });
    await failure(t.client.api.upload_group_file({ group_id: 20004, file_uri: base64Uri('x'), file_name: 'x' }), codes.notFound);
    await failure(
      t.client.api.upload_group_file({ group_id: 20003, parent_folder_id: '/nope', file_uri: base64Uri('x'), file_name: 'x' }),
      codes.notFound,
    );
  });
});
