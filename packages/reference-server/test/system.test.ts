import { milkyVersion } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { codes, download, failure, png, start } from './helpers.ts';

describe('system APIs', () => {
  test('login and implementation info', async () => {
    await using t = await start();
    expect(await t.client.api.get_login_info()).toEqual({ uin: 10001, nickname: 'Milky Bot' });
    expect(await t.client.api.get_impl_info()).toMatchObject({
      impl_name: 'milky-reference-server',
      milky_version: milkyVersion,
      qq_protocol_type: 'linux',
    });
  });

  test('user profiles, with the remark the bot gave friends', async () => {
    await using t = await start();
    expect(await t.client.api.get_user_profile({ user_id: 10002 })).toMatchObject({
      nickname: 'Alice',
      qid: 'alice',
      remark: 'Alice (classmate)',
      school: 'Fudan University',
      sex: 'female',
    });
    expect((await t.client.api.get_user_profile({ user_id: 10008 })).remark).toBe('');
    expect(await failure(t.client.api.get_user_profile({ user_id: 99999 }), codes.notFound)).toContain('99999');
  });

  test('friends and their categories', async () => {
    await using t = await start();
    const { friends } = await t.client.api.get_friend_list({ no_cache: true });
    expect(friends.map((friend) => [friend.user_id, friend.category.category_name])).toEqual([
      [10003, '我的好友'],
      [10005, '我的好友'],
      [10004, '家人'],
      [10002, '同学'],
    ]);
    expect((await t.client.api.get_friend_info({ user_id: 10004 })).friend).toMatchObject({ nickname: '小红', remark: '妹妹' });
    expect(await failure(t.client.api.get_friend_info({ user_id: 10008 }), codes.notFound)).toMatch(/not a friend/);
  });

  test('groups and members, only of the groups the bot is in', async () => {
    await using t = await start();
    const { groups } = await t.client.api.get_group_list();
    expect(groups.map((group) => group.group_id)).toEqual([20001, 20002, 20003]);
    const { group } = await t.client.api.get_group_info({ group_id: 20001 });
    expect(group).toMatchObject({
      group_name: 'Milky 开发者',
      member_count: 5,
      max_member_count: 500,
      announcement: expect.stringContaining('Be kind'),
    });
    await failure(t.client.api.get_group_info({ group_id: 20004 }), codes.notFound);
    const { members } = await t.client.api.get_group_member_list({ group_id: 20001 });
    expect(members.map((member) => [member.user_id, member.role])).toEqual([
      [10001, 'owner'],
      [10002, 'admin'],
      [10003, 'member'],
      [10004, 'member'],
      [10006, 'member'],
    ]);
    expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10002 })).member.card).toBe('Alice | maintainer');
    await failure(t.client.api.get_group_member_info({ group_id: 20001, user_id: 10008 }), codes.notFound);
    await failure(t.client.api.get_group_member_list({ group_id: 20004 }), codes.notFound);
  });

  test('pinned chats, with an event on every change', async () => {
    await using t = await start();
    await t.client.api.set_peer_pin({ message_scene: 'friend', peer_id: 10002 });
    await t.client.api.set_peer_pin({ message_scene: 'group', peer_id: 20001, is_pinned: true });
    await t.client.api.set_peer_pin({ message_scene: 'group', peer_id: 20001, is_pinned: true });
    let pins = await t.client.api.get_peer_pins();
    expect([pins.friends.map((f) => f.user_id), pins.groups.map((g) => g.group_id)]).toEqual([[10002], [20001]]);
    await t.client.api.set_peer_pin({ message_scene: 'friend', peer_id: 10002, is_pinned: false });
    pins = await t.client.api.get_peer_pins();
    expect(pins.friends).toEqual([]);
    expect(t.sent('peer_pin_change').map((event) => [event.data.peer_id, event.data.is_pinned])).toEqual([
      [10002, true],
      [20001, true],
      [10002, false],
    ]);
    await failure(t.client.api.set_peer_pin({ message_scene: 'friend', peer_id: 10008 }), codes.notFound);
  });

  test('the bot changes its avatar, nickname and bio', async () => {
    await using t = await start();
    const avatar = png(8, 0xff0000);
    await t.client.api.set_avatar({ uri: avatar.uri });
    expect((await download(`${t.server.world.links.origin}/avatars/user/10001`)).bytes.equals(avatar.bytes)).toBe(true);
    expect(await failure(t.client.api.set_avatar({ uri: 'base64://aGVsbG8=' }), codes.invalidArgument)).toMatch(/^uri: .*not an image/);
    await t.client.api.set_nickname({ new_nickname: 'Renamed Bot' });
    expect((await t.client.api.get_login_info()).nickname).toBe('Renamed Bot');
    await failure(t.client.api.set_nickname({ new_nickname: '  ' }), codes.invalidArgument);
    await t.client.api.set_bio({ new_bio: 'new bio' });
    expect((await t.client.api.get_user_profile({ user_id: 10001 })).bio).toBe('new bio');
  });

  test('saved stickers are served back as images', async () => {
    await using t = await start();
    const { urls } = await t.client.api.get_custom_face_url_list();
    expect(urls).toHaveLength(2);
    for (const url of urls) expect((await download(url)).type).toBe('image/png');
  });

  test('cookies per domain and a stable CSRF token', async () => {
    await using t = await start();
    const { cookies } = await t.client.api.get_cookies({ domain: 'qun.qq.com' });
    expect(cookies).toMatch(/^uin=o0000010001; skey=@\S+; p_uin=o0000010001; p_skey=\S+$/);
    expect((await t.client.api.get_cookies({ domain: 'qzone.qq.com' })).cookies).not.toBe(cookies);
    expect(await failure(t.client.api.get_cookies({ domain: 'not a domain' }), codes.invalidArgument)).toMatch(/^domain:/);
    const { csrf_token } = await t.client.api.get_csrf_token();
    expect(csrf_token).toMatch(/^\d+$/);
    expect((await t.client.api.get_csrf_token()).csrf_token).toBe(csrf_token);
  });
});

test('a prefix given without its slash still puts the endpoints, and the URL, under it', async () => {
  await using t = await start({ prefix: 'milky/' });
  expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/milky$/);
  expect((await t.client.api.get_login_info()).uin).toBe(10001);
});
