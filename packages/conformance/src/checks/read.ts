// The APIs without side effects, each called with inputs taken from the server's own answers and
// its result checked against the protocol, field by field.

import type { FriendEntity, GroupEntity, IncomingMessage } from '@milky/types';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import { definedBy, type Rule, rules } from '../rules.ts';
import type { Target } from '../target.ts';
import { segmentsOf } from './messages.ts';

/** What the read checks learned of the server, for the checks after them. */
export interface Known {
  self?: number;
  nickname?: string;
  bio?: string;
  friends: FriendEntity[];
  groups: GroupEntity[];
  /** The bot's role per group. */
  roles: Map<number, string>;
  messages: IncomingMessage[];
}

/** Chats to look at first (fixtures the suite made), before the server's own. */
export interface Preferred {
  readonly friend: number;
  readonly group: number;
}

export async function readChecks(target: Target, recorder: Recorder, loggedIn: boolean, preferred?: Preferred): Promise<Known> {
  const known: Known = { friends: [], groups: [], roles: new Map(), messages: [] };
  const check = (name: string, run: () => Promise<unknown>, rule: Rule = rules.result) =>
    recorder.check(
      'read APIs',
      name,
      definedBy(rule, name),
      loggedIn
        ? run
        : async () => {
            throw skip('the bot is not logged in (-403): results cannot be checked');
          },
    );
  const friend = () => known.friends.find((f) => f.user_id === preferred?.friend) ?? known.friends[0];
  const group = () => known.groups.find((g) => g.group_id === preferred?.group) ?? known.groups[0];
  /** The groups to look into: the preferred one first, then a few of the server's. */
  const groups = () => [...(group() ? [group() as GroupEntity] : []), ...known.groups.filter((g) => g !== group()).slice(0, 2)];

  await check('get_login_info', async () => {
    const info = await target.api('get_login_info');
    known.self = info.uin;
    known.nickname = info.nickname;
  });
  await check(
    'get_impl_info',
    async () => {
      const info = await target.api('get_impl_info');
      expect(
        /^\d+\.\d+/.test(info.milky_version),
        `milky_version should be a version such as "1.2", got ${describeValue(info.milky_version)}`,
      );
    },
    rules.version,
  );
  await check('get_user_profile (of the bot)', async () => {
    if (known.self === undefined) throw skip('get_login_info gave no QQ number');
    const profile = await target.api('get_user_profile', { user_id: known.self });
    known.bio = profile.bio;
  });
  await check('get_friend_list', async () => {
    known.friends = (await target.api('get_friend_list', { no_cache: false })).friends;
    await target.api('get_friend_list', { no_cache: true });
  });
  await check('get_friend_info', async () => {
    const first = friend();
    if (!first) throw skip('the bot has no friends to ask about');
    const { friend: found } = await target.api('get_friend_info', { user_id: first.user_id });
    expect(found.user_id === first.user_id, `asked for ${first.user_id}, got ${found.user_id}`);
  });
  await check('get_group_list', async () => {
    known.groups = (await target.api('get_group_list')).groups;
  });
  await check('get_group_info', async () => {
    const first = group();
    if (!first) throw skip('the bot is in no group');
    const { group: found } = await target.api('get_group_info', { group_id: first.group_id });
    expect(found.group_id === first.group_id, `asked for ${first.group_id}, got ${found.group_id}`);
  });
  await check('get_group_member_list', async () => {
    if (known.groups.length === 0) throw skip('the bot is in no group');
    for (const { group_id } of known.groups.slice(0, 10)) {
      const { members } = await target.api('get_group_member_list', { group_id });
      const bot = members.find((member) => member.user_id === known.self);
      expect(bot, `the bot ${known.self} is not among the members of group ${group_id}`);
      expect(
        members.every((member) => member.group_id === group_id),
        `a member of group ${group_id} carries another group_id`,
      );
      known.roles.set(group_id, bot.role);
    }
  });
  await check('get_group_member_info (the bot)', async () => {
    const first = group();
    if (!first || known.self === undefined) throw skip('the bot is in no group');
    const { member } = await target.api('get_group_member_info', { group_id: first.group_id, user_id: known.self });
    expect(member.user_id === known.self, `asked for ${known.self}, got ${member.user_id}`);
  });
  await check('get_peer_pins', async () => void (await target.api('get_peer_pins')));
  await check('get_custom_face_url_list', async () => void (await target.api('get_custom_face_url_list')));
  await check('get_cookies', async () => {
    const { cookies } = await target.api('get_cookies', { domain: 'qun.qq.com' });
    expect(cookies.length > 0, 'the cookies are empty');
  });
  await check('get_csrf_token', async () => void (await target.api('get_csrf_token')));
  await check('get_history_messages (oldest first, within the limit)', async () => {
    const chats = [
      ...(friend() ? [{ message_scene: 'friend' as const, peer_id: friend()?.user_id as number }] : []),
      ...groups().map((g) => ({ message_scene: 'group' as const, peer_id: g.group_id })),
    ];
    if (chats.length === 0) throw skip('the bot has no friend and no group');
    for (const chat of chats) {
      const page = await target.api('get_history_messages', { ...chat, limit: 10 });
      expect(page.messages.length <= 10, `limit 10 gave ${page.messages.length} messages`);
      const seqs = page.messages.map((message) => message.message_seq);
      expect(
        seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number)),
        `messages should be oldest first, got seqs ${seqs.join(', ')}`,
      );
      expect(
        page.messages.every((message) => message.message_scene === chat.message_scene && message.peer_id === chat.peer_id),
        `a message of another chat came in the history of ${chat.message_scene} ${chat.peer_id}`,
      );
      known.messages.push(...page.messages);
      if (page.next_message_seq !== undefined && page.next_message_seq !== null) {
        const older = await target.api('get_history_messages', { ...chat, start_message_seq: page.next_message_seq, limit: 10 });
        expect(
          older.messages.every((message) => message.message_seq <= (page.next_message_seq as number)),
          'the next page has messages newer than next_message_seq',
        );
        known.messages.push(...older.messages);
      }
    }
  });
  await check('get_message', async () => {
    const message = known.messages[0];
    if (!message) throw skip('no message in the history to ask about');
    const found = await target.api('get_message', {
      message_scene: message.message_scene,
      peer_id: message.peer_id,
      message_seq: message.message_seq,
    });
    expect(found.message.message_seq === message.message_seq, `asked for ${message.message_seq}, got ${found.message.message_seq}`);
  });
  await check('get_resource_temp_url', async () => {
    const resource = segmentsOf(known.messages).find((s) => s.type === 'image' || s.type === 'record' || s.type === 'video');
    if (!resource || !('resource_id' in resource.data)) throw skip('no image, record or video in the history');
    const { url } = await target.api('get_resource_temp_url', { resource_id: resource.data.resource_id });
    expect(/^https?:\/\//.test(url), `expected an http(s) URL, got ${describeValue(url)}`);
  });
  await check('get_forwarded_messages', async () => {
    const forward = segmentsOf(known.messages).find((s) => s.type === 'forward');
    if (forward?.type !== 'forward') throw skip('no forwarded bundle in the history');
    await target.api('get_forwarded_messages', { forward_id: forward.data.forward_id });
  });
  await check('get_friend_requests', async () => {
    await target.api('get_friend_requests', { limit: 10 });
    await target.api('get_friend_requests', { limit: 10, is_filtered: true });
  });
  await check('get_group_announcements', async () => {
    if (!group()) throw skip('the bot is in no group');
    await target.api('get_group_announcements', { group_id: group()?.group_id });
  });
  await check('get_group_essence_messages', async () => {
    if (!group()) throw skip('the bot is in no group');
    await target.api('get_group_essence_messages', { group_id: group()?.group_id, page_index: 0, page_size: 10 });
  });
  await check('get_group_notifications', async () => {
    const page = await target.api('get_group_notifications', { limit: 5 });
    expect(page.notifications.length <= 5, `limit 5 gave ${page.notifications.length} notifications`);
    await target.api('get_group_notifications', { is_filtered: true, limit: 5 });
  });
  let fileId: { group_id: number; file_id: string } | undefined;
  await check('get_group_files', async () => {
    if (known.groups.length === 0) throw skip('the bot is in no group');
    for (const { group_id } of groups()) {
      const { files } = await target.api('get_group_files', { group_id });
      const first = files[0];
      if (first && !fileId) fileId = { group_id, file_id: first.file_id };
    }
  });
  await check('get_group_file_download_url', async () => {
    if (!fileId) throw skip('no file in the groups looked at');
    const { download_url } = await target.api('get_group_file_download_url', fileId);
    expect(/^https?:\/\//.test(download_url), `expected an http(s) URL, got ${describeValue(download_url)}`);
  });
  await check('get_private_file_download_url', async () => {
    const message = known.messages.find(
      (m) => m.message_scene === 'friend' && m.segments.some((s) => s.type === 'file' && s.data.file_hash),
    );
    const file = message?.segments.find((s) => s.type === 'file');
    if (!message || file?.type !== 'file' || !file.data.file_hash) throw skip('no file with a hash in the friend chat looked at');
    await target.api('get_private_file_download_url', {
      user_id: message.peer_id,
      file_id: file.data.file_id,
      file_hash: file.data.file_hash,
    });
  });
  return known;
}
