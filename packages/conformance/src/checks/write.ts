// The APIs with side effects: run only with --write, each with a note of what it changes. Those
// that cannot be undone (removing a friend, leaving a group, answering requests) run only on
// fixtures the suite creates through a sandbox; elsewhere they are skipped, saying why.

import type { Control, Fixtures } from '../control.ts';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import { definedBy, type Rule, rules } from '../rules.ts';
import type { Target } from '../target.ts';
import { declaresField } from '../version.ts';
import { segmentsOf } from './messages.ts';
import type { Known } from './read.ts';

export interface WriteOptions {
  readonly write: boolean;
  readonly loggedIn: boolean;
  readonly sandbox: { control: Control; fixtures: Fixtures } | undefined;
}

const marker = 'Milky conformance check';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const pngUri = `base64://${png.toString('base64')}`;
const textUri = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;

export async function writeChecks(target: Target, recorder: Recorder, known: Known, options: WriteOptions): Promise<void> {
  const fixtures = options.sandbox?.fixtures;
  const control = options.sandbox?.control;
  const self = known.self ?? 0;
  const friend = fixtures?.friend ?? known.friends[0]?.user_id;
  const group = fixtures?.ownGroup ?? known.groups[0]?.group_id;
  const adminGroup = fixtures?.ownGroup ?? [...known.roles].find(([, role]) => role !== 'member')?.[0];

  type Needs = 'friend' | 'group' | 'admin' | 'fixtures';
  const check = (name: string, changes: string, needs: Needs[], run: () => Promise<unknown>, rule: Rule = rules.behaviour) =>
    recorder.check(
      'write APIs',
      name,
      definedBy(rule, name),
      async () => {
        if (!options.write) throw skip('has side effects; run with --write to check it');
        if (!options.loggedIn) throw skip('the bot is not logged in (-403): results cannot be checked');
        if (needs.includes('fixtures') && !fixtures) {
          throw skip('cannot be undone; runs only on fixtures the suite creates through a sandbox (--control-token)');
        }
        if (needs.includes('friend') && friend === undefined) throw skip('the bot has no friend');
        if (needs.includes('group') && group === undefined) throw skip('the bot is in no group');
        if (needs.includes('admin') && adminGroup === undefined) throw skip('the bot is an admin or owner of no group');
        await run();
      },
      changes,
    );
  const who = (id: number | undefined) => (id === undefined ? '(none)' : String(id));

  await check('set_peer_pin', `pins the chat with friend ${who(friend)}, then unpins it`, ['friend'], async () => {
    const pinned = (await target.api('get_peer_pins')).friends.some((f) => f.user_id === friend);
    await target.api('set_peer_pin', { message_scene: 'friend', peer_id: friend, is_pinned: true });
    expect(
      (await target.api('get_peer_pins')).friends.some((f) => f.user_id === friend),
      'the chat is not among the pins after pinning it',
    );
    await target.api('set_peer_pin', { message_scene: 'friend', peer_id: friend, is_pinned: pinned });
  });
  await check('set_nickname', 'sets the bot’s nickname to the one it has', [], async () => {
    await target.api('set_nickname', { new_nickname: known.nickname ?? 'Milky Bot' });
  });
  await check('set_bio', 'sets the bot’s bio to the one it has', [], async () => {
    await target.api('set_bio', { new_bio: known.bio ?? '' });
  });
  await check(
    'set_avatar',
    'sets the bot’s avatar to a 1×1 PNG',
    ['fixtures'],
    async () => void (await target.api('set_avatar', { uri: pngUri })),
  );

  let privateSeq: number | undefined;
  await check('send_private_message', `sends "${marker}" to friend ${who(friend)} (recalled below)`, ['friend'], async () => {
    const sent = await target.api('send_private_message', { user_id: friend, message: [{ type: 'text', data: { text: marker } }] });
    privateSeq = sent.message_seq;
    const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
    expect(message.sender_id === self, `the sent message has sender ${message.sender_id}, not the bot ${self}`);
    const first = message.segments[0];
    expect(first?.type === 'text' && first.data.text === marker, `the sent message reads back as ${describeValue(message.segments)}`);
  });
  await check('mark_message_as_read', 'marks that message as read', ['friend'], async () => {
    if (privateSeq === undefined) throw skip('send_private_message did not send');
    await target.api('mark_message_as_read', { message_scene: 'friend', peer_id: friend, message_seq: privateSeq });
  });
  await check('recall_private_message', 'recalls that message', ['friend'], async () => {
    if (privateSeq === undefined) throw skip('send_private_message did not send');
    await target.api('recall_private_message', { user_id: friend, message_seq: privateSeq });
    await target.failing('get_message', { message_scene: 'friend', peer_id: friend, message_seq: privateSeq });
  });
  await check(
    'a message sent with a forward segment reads back with a forward segment',
    `sends a forwarded message to friend ${who(friend)} and reads it back (recalled after)`,
    ['friend'],
    async () => {
      const forwarded = { user_id: self, sender_name: 'Milky conformance', segments: [{ type: 'text', data: { text: marker } }] };
      const sent = await target.api('send_private_message', {
        user_id: friend,
        message: [{ type: 'forward', data: { messages: [forwarded] } }],
      });
      try {
        const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
        const forward = message.segments.find((segment) => segment.type === 'forward');
        expect(
          forward?.type === 'forward',
          `the message sent with a forward segment reads back as ${describeValue(message.segments.map((segment) => segment.type))}`,
        );
        const { messages } = await target.api('get_forwarded_messages', { forward_id: forward.data.forward_id });
        expect(
          messages.some((m) => m.segments.some((segment) => segment.type === 'text' && segment.data.text === marker)),
          `the forwarded messages read back as ${describeValue(messages)}`,
        );
      } finally {
        await target.api('recall_private_message', { user_id: friend, message_seq: sent.message_seq });
      }
    },
    rules.forwardKept,
  );
  if (declaresField('OutgoingForwardedMessage', 'time')) {
    await check(
      'a forwarded message keeps the time given for it',
      `sends a forwarded message with a time to friend ${who(friend)} and reads it back (recalled after)`,
      ['friend'],
      async () => {
        const reason = target.version.fieldNotExpected('the time of a forwarded message');
        if (reason) throw skip(reason);
        const time = 1_700_000_000;
        const forwarded = { user_id: self, sender_name: 'Milky conformance', segments: [{ type: 'text', data: { text: marker } }], time };
        const sent = await target.api('send_private_message', {
          user_id: friend,
          message: [{ type: 'forward', data: { messages: [forwarded] } }],
        });
        try {
          const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
          const forward = message.segments.find((segment) => segment.type === 'forward');
          if (forward?.type !== 'forward') throw skip('the forward did not read back as a forward segment (see the check above)');
          const { messages } = await target.api('get_forwarded_messages', { forward_id: forward.data.forward_id });
          expect(
            messages[0]?.time === time,
            `sent with time ${time}, the forwarded message reads back with ${describeValue(messages[0]?.time)}`,
          );
        } finally {
          await target.api('recall_private_message', { user_id: friend, message_seq: sent.message_seq });
        }
      },
      rules.forwardKept,
    );
  }
  await check(
    'send_friend_nudge',
    `nudges friend ${who(friend)}`,
    ['friend'],
    async () => void (await target.api('send_friend_nudge', { user_id: friend })),
  );
  let privateFile: string | undefined;
  await check('upload_private_file', `sends a small text file to friend ${who(friend)} (it stays)`, ['friend'], async () => {
    const { file_id } = await target.api('upload_private_file', {
      user_id: friend,
      file_uri: textUri(marker),
      file_name: 'milky-conformance.txt',
    });
    expect(file_id.length > 0, 'the file_id is empty');
    privateFile = file_id;
  });
  if (declaresField('GetPrivateFileDownloadUrlInput', 'is_self_send')) {
    await check(
      'get_private_file_download_url with is_self_send: true finds the bot’s own file',
      'asks for a download link of the file sent above',
      ['friend'],
      async () => {
        const reason = target.version.fieldNotExpected('is_self_send');
        if (reason) throw skip(reason);
        if (privateFile === undefined) throw skip('upload_private_file did not send a file');
        const { messages } = await target.api('get_history_messages', { message_scene: 'friend', peer_id: friend, limit: 30 });
        const segment = segmentsOf(messages).find((s) => s.type === 'file' && s.data.file_id === privateFile);
        if (segment?.type !== 'file' || !segment.data.file_hash)
          throw skip('the file sent is not in the friend chat’s history with its hash');
        const { download_url } = await target.api('get_private_file_download_url', {
          user_id: friend,
          file_id: privateFile,
          file_hash: segment.data.file_hash,
          is_self_send: true,
        });
        expect(/^https?:\/\//.test(download_url), `expected an http(s) URL, got ${describeValue(download_url)}`);
      },
    );
  }

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

  // Checks on fixtures: without a sandbox, the wrapper skips them before they run.
  const fx = () => fixtures as Fixtures;
  const sandbox = () => control as Control;
  const stranger = (index: number) => fx().strangers[index] as number;
  const own = () => fx().ownGroup;
  await check(
    'set_group_avatar',
    'sets the avatar of the fixture group the bot owns',
    ['fixtures'],
    async () => void (await target.api('set_group_avatar', { group_id: own(), image_uri: pngUri })),
  );
  await check('set_group_member_special_title', 'gives the fixture friend a special title in that group', ['fixtures'], async () => {
    await target.api('set_group_member_special_title', { group_id: own(), user_id: fx().friend, special_title: 'tester' });
    expect(
      (await target.api('get_group_member_info', { group_id: own(), user_id: fx().friend })).member.title === 'tester',
      'the title did not change',
    );
  });
  await check('set_group_member_admin', 'appoints the fixture friend admin of that group, then dismisses them', ['fixtures'], async () => {
    await target.api('set_group_member_admin', { group_id: own(), user_id: fx().friend });
    expect(
      (await target.api('get_group_member_info', { group_id: own(), user_id: fx().friend })).member.role === 'admin',
      'the role did not become admin',
    );
    await target.api('set_group_member_admin', { group_id: own(), user_id: fx().friend, is_set: false });
  });
  await check('set_group_member_mute', 'mutes the fixture friend in that group for a minute, then lifts it', ['fixtures'], async () => {
    await target.api('set_group_member_mute', { group_id: own(), user_id: fx().friend, duration: 60 });
    const { member } = await target.api('get_group_member_info', { group_id: own(), user_id: fx().friend });
    expect(typeof member.shut_up_end_time === 'number', 'a muted member has no shut_up_end_time');
    await target.api('set_group_member_mute', { group_id: own(), user_id: fx().friend, duration: 0 });
  });
  await check('kick_group_member', 'removes a fixture user from that group', ['fixtures'], async () => {
    await target.api('kick_group_member', { group_id: own(), user_id: stranger(0) });
    await target.failing('get_group_member_info', { group_id: own(), user_id: stranger(0) });
  });
  await check('quit_group', 'the bot leaves a fixture group it is a member of', ['fixtures'], async () => {
    await target.api('quit_group', { group_id: fx().memberGroup });
    expect(!(await target.api('get_group_list')).groups.some((g) => g.group_id === fx().memberGroup), 'the group is still listed');
  });
  await check(
    'send_profile_like',
    'likes the profile of a fixture user',
    ['fixtures'],
    async () => void (await target.api('send_profile_like', { user_id: stranger(0), count: 1 })),
  );
  await check('delete_friend', 'befriends a fixture user through the sandbox, then removes them', ['fixtures'], async () => {
    await sandbox().run('befriend', { user_id: stranger(2) });
    await target.api('delete_friend', { user_id: stranger(2) });
    await target.failing('get_friend_info', { user_id: stranger(2) });
  });
  await check(
    'accept_friend_request, reject_friend_request',
    'two fixture users ask to be friends; one is accepted, one rejected',
    ['fixtures'],
    async () => {
      const first = await sandbox().run<{ initiator_uid: string }>('friend_request', { as: stranger(0), comment: marker });
      const second = await sandbox().run<{ initiator_uid: string }>('friend_request', { as: stranger(1), comment: marker });
      const { requests } = await target.api('get_friend_requests', { limit: 20 });
      expect(
        requests.some((r) => r.initiator_uid === first.initiator_uid && r.state === 'pending'),
        'the new request is not listed as pending',
      );
      await target.api('accept_friend_request', { initiator_uid: first.initiator_uid });
      await target.api('reject_friend_request', { initiator_uid: second.initiator_uid, reason: marker });
      await target.api('get_friend_info', { user_id: stranger(0) });
      await target.failing('get_friend_info', { user_id: stranger(1) });
    },
  );
  await check(
    'accept_group_request, reject_group_request',
    'two fixture users ask to join the fixture group; one is let in, one refused',
    ['fixtures'],
    async () => {
      const first = await sandbox().run<{ notification_seq: number }>('join_request', {
        as: stranger(1),
        group_id: own(),
        comment: marker,
      });
      const second = await sandbox().run<{ notification_seq: number }>('join_request', {
        as: stranger(2),
        group_id: own(),
        comment: marker,
      });
      await target.api('accept_group_request', {
        notification_seq: first.notification_seq,
        notification_type: 'join_request',
        group_id: own(),
      });
      await target.api('reject_group_request', {
        notification_seq: second.notification_seq,
        notification_type: 'join_request',
        group_id: own(),
        reason: marker,
      });
      await target.api('get_group_member_info', { group_id: own(), user_id: stranger(1) });
      await target.failing('get_group_member_info', { group_id: own(), user_id: stranger(2) });
    },
  );
  await check(
    'accept_group_invitation, reject_group_invitation',
    'the bot is invited into two fixture groups; it joins one and declines the other',
    ['fixtures'],
    async () => {
      const [joined, declined] = fx().outsideGroups as [number, number];
      const first = await sandbox().run<{ invitation_seq: number }>('invite_bot', { as: stranger(1), group_id: joined });
      const second = await sandbox().run<{ invitation_seq: number }>('invite_bot', { as: stranger(1), group_id: declined });
      await target.api('accept_group_invitation', { group_id: joined, invitation_seq: first.invitation_seq });
      await target.api('reject_group_invitation', { group_id: declined, invitation_seq: second.invitation_seq });
      const groups = (await target.api('get_group_list')).groups.map((g) => g.group_id);
      expect(groups.includes(joined) && !groups.includes(declined), `after the answers the bot is in ${describeValue(groups)}`);
    },
  );
}
