// Write checks in a group: messages, reactions, nudges and the bot's card in any group it is in;
// essence messages, announcements, mutes, its name and its files in one it administers. What they
// change is put back, recalled or deleted.

import { describeValue, expect, skip } from '../report.ts';
import { marker, textUri, type WriteScope } from './write-scope.ts';

/** The checks of the group APIs with side effects, in order. */
export async function groupChecks(scope: WriteScope): Promise<void> {
  const { target, self, group, adminGroup, check, who } = scope;
  let groupSeq: number | undefined;
  await check('send_group_message', `sends "${marker}" to group ${who(group)} (recalled below)`, ['group'], async () => {
    groupSeq = (await target.api('send_group_message', { group_id: group, message: [{ type: 'text', data: { text: marker } }] }))
      .message_seq;
  });
  await check('send_group_message_reaction', 'adds a reaction to that message, then removes it', ['group'], async () => {
    if (groupSeq === undefined) throw skip('send_group_message did not send');
    await target.api('send_group_message_reaction', { group_id: group, message_seq: groupSeq, reaction: '76' });
    await target.api('send_group_message_reaction', { group_id: group, message_seq: groupSeq, reaction: '76', is_add: false });
  });
  await check('recall_group_message', 'recalls that message', ['group'], async () => {
    if (groupSeq === undefined) throw skip('send_group_message did not send');
    await target.api('recall_group_message', { group_id: group, message_seq: groupSeq });
    await target.failing('get_message', { message_scene: 'group', peer_id: group, message_seq: groupSeq });
  });
  await check(
    'send_group_nudge',
    `the bot nudges itself in group ${who(group)}`,
    ['group'],
    async () => void (await target.api('send_group_nudge', { group_id: group, user_id: self })),
  );
  await check('set_group_member_card', `sets the bot’s card in group ${who(group)} to the one it has`, ['group'], async () => {
    const { member } = await target.api('get_group_member_info', { group_id: group, user_id: self });
    await target.api('set_group_member_card', { group_id: group, user_id: self, card: member.card });
  });

  await check(
    'set_group_essence_message',
    `marks a message of the bot in group ${who(adminGroup)} as essence, then unmarks it; the message is recalled`,
    ['admin'],
    async () => {
      const { message_seq } = await target.api('send_group_message', {
        group_id: adminGroup,
        message: [{ type: 'text', data: { text: marker } }],
      });
      await target.api('set_group_essence_message', { group_id: adminGroup, message_seq });
      const { messages } = await target.api('get_group_essence_messages', { group_id: adminGroup, page_index: 0, page_size: 50 });
      expect(
        messages.some((m) => m.message_seq === message_seq),
        'the message is not among the essence messages after marking it',
      );
      await target.api('set_group_essence_message', { group_id: adminGroup, message_seq, is_set: false });
      await target.api('recall_group_message', { group_id: adminGroup, message_seq });
    },
  );
  await check(
    'send_group_announcement, delete_group_announcement',
    `posts an announcement in group ${who(adminGroup)}, then deletes it`,
    ['admin'],
    async () => {
      const content = `${marker} ${Date.now()}`;
      await target.api('send_group_announcement', { group_id: adminGroup, content });
      const found = (await target.api('get_group_announcements', { group_id: adminGroup })).announcements.find(
        (a) => a.content === content,
      );
      expect(found, 'the announcement is not listed after posting it');
      await target.api('delete_group_announcement', { group_id: adminGroup, announcement_id: found.announcement_id });
    },
  );
  await check('set_group_whole_mute', `mutes group ${who(adminGroup)} as a whole, then lifts it`, ['admin'], async () => {
    await target.api('set_group_whole_mute', { group_id: adminGroup, is_mute: true });
    await target.api('set_group_whole_mute', { group_id: adminGroup, is_mute: false });
  });
  await check('set_group_name', `renames group ${who(adminGroup)} to the name it has`, ['admin'], async () => {
    const { group: info } = await target.api('get_group_info', { group_id: adminGroup });
    await target.api('set_group_name', { group_id: adminGroup, new_group_name: info.group_name });
  });
  await check(
    'create_group_folder, upload_group_file, move_group_file, rename_group_file, delete_group_file, rename_group_folder, delete_group_folder',
    `creates a folder and a file in group ${who(adminGroup)}, moves and renames them, then deletes both`,
    ['admin'],
    async () => {
      const { folder_id } = await target.api('create_group_folder', { group_id: adminGroup, folder_name: `conformance ${Date.now()}` });
      const { file_id } = await target.api('upload_group_file', {
        group_id: adminGroup,
        file_uri: textUri(marker),
        file_name: 'milky-conformance.txt',
      });
      expect(
        (await target.api('get_group_files', { group_id: adminGroup })).files.some((f) => f.file_id === file_id),
        'the uploaded file is not listed',
      );
      await target.api('move_group_file', { group_id: adminGroup, file_id, target_folder_id: folder_id });
      await target.api('rename_group_file', {
        group_id: adminGroup,
        file_id,
        parent_folder_id: folder_id,
        new_file_name: 'milky-conformance-renamed.txt',
      });
      const inFolder = await target.api('get_group_files', { group_id: adminGroup, parent_folder_id: folder_id });
      expect(
        inFolder.files.some((f) => f.file_id === file_id && f.file_name === 'milky-conformance-renamed.txt'),
        'the moved and renamed file is not in the folder',
      );
      await target.api('delete_group_file', { group_id: adminGroup, file_id });
      await target.api('rename_group_folder', { group_id: adminGroup, folder_id, new_folder_name: `conformance renamed ${Date.now()}` });
      await target.api('delete_group_folder', { group_id: adminGroup, folder_id });
    },
  );

  await check(
    'persist_group_file',
    `uploads a file to group ${who(adminGroup)}, makes it permanent, then deletes it`,
    ['admin'],
    async () => {
      target.expectApi('persist_group_file');
      const { file_id } = await target.api('upload_group_file', {
        group_id: adminGroup,
        file_uri: textUri(marker),
        file_name: 'milky-conformance-kept.txt',
      });
      try {
        await target.api('persist_group_file', { group_id: adminGroup, file_id });
        const file = (await target.api('get_group_files', { group_id: adminGroup })).files.find((f) => f.file_id === file_id);
        expect(file, 'the uploaded file is not listed');
        expect(
          !Object.hasOwn(file, 'expire_time') || file.expire_time === null,
          `a permanent file has expire_time ${describeValue(file.expire_time)}`,
        );
      } finally {
        await target.api('delete_group_file', { group_id: adminGroup, file_id });
      }
    },
  );
}
