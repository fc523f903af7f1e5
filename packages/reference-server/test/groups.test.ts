import { describe, expect, test } from 'vitest';
import { codes, download, failure, png, start } from './helpers.ts';

describe('group settings and roles', () => {
  test('renaming and avatars need an admin or the owner', async () => {
    await using t = await start();
    await t.client.api.set_group_name({ group_id: 20001, new_group_name: 'Milky Devs' });
    await t.client.api.set_group_name({ group_id: 20001, new_group_name: 'Milky Devs' });
    expect((await t.client.api.get_group_info({ group_id: 20001 })).group.group_name).toBe('Milky Devs');
    expect(t.sent('group_name_change').map((event) => event.data)).toEqual([
      { group_id: 20001, new_group_name: 'Milky Devs', operator_id: 10001 },
    ]);
    expect(await failure(t.client.api.set_group_name({ group_id: 20003, new_group_name: 'x' }), codes.permissionDenied)).toMatch(
      /renaming the group needs the owner or an admin of group 20003; 10001 is the member/,
    );
    await failure(t.client.api.set_group_name({ group_id: 20001, new_group_name: '' }), codes.invalidArgument);
    const avatar = png(16, 0x00ff00);
    await t.client.api.set_group_avatar({ group_id: 20002, image_uri: avatar.uri });
    expect((await download(`${t.world.links.origin}/avatars/group/20002`)).bytes.equals(avatar.bytes)).toBe(true);
    await failure(t.client.api.set_group_avatar({ group_id: 20003, image_uri: avatar.uri }), codes.permissionDenied);
  });

  test('cards: one’s own, or those of members one outranks', async () => {
    await using t = await start();
    await t.client.api.set_group_member_card({ group_id: 20001, user_id: 10003, card: 'Bobby' });
    await t.client.api.set_group_member_card({ group_id: 20003, user_id: 10001, card: 'the bot' });
    expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10003 })).member.card).toBe('Bobby');
    expect((await t.client.api.get_group_member_info({ group_id: 20003, user_id: 10001 })).member.card).toBe('the bot');
    await failure(t.client.api.set_group_member_card({ group_id: 20002, user_id: 10005, card: 'x' }), codes.permissionDenied);
    await failure(t.client.api.set_group_member_card({ group_id: 20001, user_id: 10009, card: 'x' }), codes.notFound);
  });

  test('special titles are the owner’s to give', async () => {
    await using t = await start();
    await t.client.api.set_group_member_special_title({ group_id: 20001, user_id: 10004, special_title: '萌新' });
    expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10004 })).member.title).toBe('萌新');
    await failure(
      t.client.api.set_group_member_special_title({ group_id: 20002, user_id: 10007, special_title: 'x' }),
      codes.permissionDenied,
    );
    await failure(
      t.client.api.set_group_member_special_title({ group_id: 20001, user_id: 10004, special_title: '一二三四五六七' }),
      codes.invalidArgument,
    );
  });

  test('admins are the owner’s to appoint, with an event and a notification', async () => {
    await using t = await start();
    await t.client.api.set_group_member_admin({ group_id: 20001, user_id: 10003 });
    await t.client.api.set_group_member_admin({ group_id: 20001, user_id: 10003 });
    expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10003 })).member.role).toBe('admin');
    await t.client.api.set_group_member_admin({ group_id: 20001, user_id: 10003, is_set: false });
    expect(t.sent('group_admin_change').map((event) => event.data.is_set)).toEqual([true, false]);
    const { notifications } = await t.client.api.get_group_notifications();
    expect(notifications.slice(0, 2).map((n) => n.type === 'admin_change' && [n.target_user_id, n.is_set, n.operator_id])).toEqual([
      [10003, false, 10001],
      [10003, true, 10001],
    ]);
    await failure(t.client.api.set_group_member_admin({ group_id: 20002, user_id: 10007 }), codes.permissionDenied);
    await failure(t.client.api.set_group_member_admin({ group_id: 20001, user_id: 10001 }), codes.invalidState);
  });

  test('mutes: by rank, within 30 days, lifted with 0', async () => {
    await using t = await start();
    await t.client.api.set_group_member_mute({ group_id: 20001, user_id: 10003, duration: 600 });
    const { member } = await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10003 });
    expect(member.shut_up_end_time).toBeGreaterThan(Date.now() / 1000 + 590);
    await t.client.api.set_group_member_mute({ group_id: 20001, user_id: 10003 });
    await t.client.api.set_group_member_mute({ group_id: 20001, user_id: 10003, duration: 0 });
    expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10003 })).member.shut_up_end_time).toBeUndefined();
    expect(t.sent('group_mute').map((event) => event.data)).toEqual([
      { group_id: 20001, user_id: 10003, operator_id: 10001, duration: 600 },
      { group_id: 20001, user_id: 10003, operator_id: 10001, duration: 0 },
    ]);
    await failure(t.client.api.set_group_member_mute({ group_id: 20001, user_id: 10003, duration: 31 * 86400 }), codes.invalidArgument);
    await failure(t.client.api.set_group_member_mute({ group_id: 20002, user_id: 10005, duration: 60 }), codes.permissionDenied);
    await t.client.api.set_group_whole_mute({ group_id: 20002 });
    await t.client.api.set_group_whole_mute({ group_id: 20002, is_mute: true });
    await t.client.api.set_group_whole_mute({ group_id: 20002, is_mute: false });
    expect(t.sent('group_whole_mute').map((event) => event.data)).toEqual([
      { group_id: 20002, operator_id: 10001, is_mute: true },
      { group_id: 20002, operator_id: 10001, is_mute: false },
    ]);
    await failure(t.client.api.set_group_whole_mute({ group_id: 20003 }), codes.permissionDenied);
  });

  test('kicks, with a block on coming back', async () => {
    await using t = await start();
    await t.client.api.kick_group_member({ group_id: 20001, user_id: 10004, reject_add_request: true });
    await t.client.api.kick_group_member({ group_id: 20001, user_id: 10006 });
    expect((await t.client.api.get_group_info({ group_id: 20001 })).group.member_count).toBe(3);
    expect(t.sent('group_member_decrease').map((event) => event.data)).toEqual([
      { group_id: 20001, user_id: 10004, operator_id: 10001 },
      { group_id: 20001, user_id: 10006, operator_id: 10001 },
    ]);
    expect(() => t.world.groups.requestJoin(10004, 20001, 'let me back')).toThrow(/may not ask to join again/);
    t.world.groups.requestJoin(10006, 20001, 'sorry');
    await failure(t.client.api.kick_group_member({ group_id: 20002, user_id: 10005 }), codes.permissionDenied);
    await failure(t.client.api.kick_group_member({ group_id: 20001, user_id: 10004 }), codes.notFound);
  });

  test('quitting, except as the owner', async () => {
    await using t = await start();
    await t.client.api.quit_group({ group_id: 20003 });
    expect((await t.client.api.get_group_list()).groups.map((group) => group.group_id)).toEqual([20001, 20002]);
    expect(t.sent('group_member_decrease').map((event) => event.data)).toEqual([{ group_id: 20003, user_id: 10001 }]);
    await failure(t.client.api.get_group_info({ group_id: 20003 }), codes.notFound);
    expect(await failure(t.client.api.quit_group({ group_id: 20001 }), codes.invalidState)).toMatch(/owns group 20001/);
  });
});

describe('group content', () => {
  test('announcements, with images', async () => {
    await using t = await start();
    const image = png(10);
    await t.client.api.send_group_announcement({ group_id: 20001, content: 'Release on Friday', image_uri: image.uri });
    const { announcements } = await t.client.api.get_group_announcements({ group_id: 20001 });
    expect(announcements.map((a) => a.content)).toEqual(['Release on Friday', 'Read the pinned docs before asking. Be kind.']);
    const [latest] = announcements;
    if (!latest?.image_url) throw new Error('the announcement has an image');
    expect((await download(latest.image_url)).bytes.equals(image.bytes)).toBe(true);
    expect((await t.client.api.get_group_info({ group_id: 20001 })).group.announcement).toBe('Release on Friday');
    await t.client.api.delete_group_announcement({ group_id: 20001, announcement_id: latest.announcement_id });
    await failure(t.client.api.delete_group_announcement({ group_id: 20001, announcement_id: latest.announcement_id }), codes.notFound);
    await failure(t.client.api.send_group_announcement({ group_id: 20003, content: 'x' }), codes.permissionDenied);
    expect((await t.client.api.get_group_announcements({ group_id: 20003 })).announcements).toEqual([]);
  });

  test('essence messages, paged', async () => {
    await using t = await start();
    for (const seq of [1, 2, 3]) await t.client.api.set_group_essence_message({ group_id: 20001, message_seq: seq });
    await t.client.api.set_group_essence_message({ group_id: 20001, message_seq: 3 });
    const first = await t.client.api.get_group_essence_messages({ group_id: 20001, page_index: 0, page_size: 2 });
    expect([first.messages.length, first.is_end]).toEqual([2, false]);
    const second = await t.client.api.get_group_essence_messages({ group_id: 20001, page_index: 1, page_size: 2 });
    expect([second.messages.length, second.is_end]).toEqual([1, true]);
    expect(second.messages[0]).toMatchObject({ operator_id: 10001, operator_name: 'Milky Bot' });
    await t.client.api.set_group_essence_message({ group_id: 20001, message_seq: 2, is_set: false });
    expect(t.sent('group_essence_message_change').map((event) => [event.data.message_seq, event.data.is_set])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [2, false],
    ]);
    await failure(t.client.api.set_group_essence_message({ group_id: 20003, message_seq: 1 }), codes.permissionDenied);
    await failure(t.client.api.set_group_essence_message({ group_id: 20001, message_seq: 99 }), codes.notFound);
  });

  test('reactions and nudges', async () => {
    await using t = await start();
    await t.client.api.send_group_message_reaction({ group_id: 20003, message_seq: 1, reaction: '76' });
    await t.client.api.send_group_message_reaction({ group_id: 20003, message_seq: 1, reaction: '76' });
    await t.client.api.send_group_message_reaction({ group_id: 20003, message_seq: 1, reaction: '👍', reaction_type: 'emoji' });
    expect(t.world.groups.reactions(20003, 1)).toEqual([
      { user_id: 10001, reaction: '76', reaction_type: 'face' },
      { user_id: 10001, reaction: '👍', reaction_type: 'emoji' },
    ]);
    await t.client.api.send_group_message_reaction({ group_id: 20003, message_seq: 1, reaction: '76', is_add: false });
    expect(t.sent('group_message_reaction').map((event) => [event.data.face_id, event.data.reaction_type, event.data.is_add])).toEqual([
      ['76', 'face', true],
      ['👍', 'emoji', true],
      ['76', 'face', false],
    ]);
    await failure(t.client.api.send_group_message_reaction({ group_id: 20003, message_seq: 99, reaction: '76' }), codes.notFound);
    await t.client.api.send_group_nudge({ group_id: 20003, user_id: 10008 });
    expect(t.sent('group_nudge').map((event) => [event.data.sender_id, event.data.receiver_id])).toEqual([[10001, 10008]]);
    await failure(t.client.api.send_group_nudge({ group_id: 20003, user_id: 10002 }), codes.notFound);
  });
});

describe('requests and invitations', () => {
  test('join requests: listed newest first, paged, answered once', async () => {
    await using t = await start();
    const page = await t.client.api.get_group_notifications({ limit: 1 });
    const [newest] = page.notifications;
    expect(newest).toMatchObject({ type: 'join_request', group_id: 20001, initiator_id: 10009, state: 'pending', comment: '想学习一下' });
    expect(page.next_notification_seq).toBeDefined();
    const rest = await t.client.api.get_group_notifications({ start_notification_seq: page.next_notification_seq ?? 0 });
    expect(rest.notifications.map((n) => n.type === 'join_request' && n.initiator_id)).toEqual([10008]);
    expect(rest.next_notification_seq).toBeUndefined();
    if (newest?.type !== 'join_request') throw new Error('a join request');

    const request = { notification_seq: newest.notification_seq, notification_type: 'join_request' as const, group_id: 20001 };
    await t.client.api.accept_group_request(request);
    expect(await failure(t.client.api.accept_group_request(request), codes.invalidState)).toMatch(/already accepted/);
    expect(t.sent('group_member_increase').map((event) => event.data)).toEqual([{ group_id: 20001, user_id: 10009, operator_id: 10001 }]);
    const other = rest.notifications[0];
    if (other?.type !== 'join_request') throw new Error('a join request');
    await t.client.api.reject_group_request({
      notification_seq: other.notification_seq,
      notification_type: 'join_request',
      group_id: 20001,
      reason: 'no',
    });
    const after = await t.client.api.get_group_notifications();
    expect(after.notifications.map((n) => n.type === 'join_request' && [n.initiator_id, n.state, n.operator_id])).toEqual([
      [10009, 'accepted', 10001],
      [10008, 'rejected', 10001],
    ]);
    await failure(t.client.api.accept_group_request({ ...request, notification_seq: 999 }), codes.notFound);
  });

  test('a join request in a group the bot is only a member of cannot be answered by it', async () => {
    await using t = await start();
    const seq = t.world.groups.requestJoin(10002, 20003, 'hi', true);
    expect(t.sent('group_join_request').map((event) => event.data)).toEqual([
      { group_id: 20003, notification_seq: seq, is_filtered: true, initiator_id: 10002, comment: 'hi' },
    ]);
    expect((await t.client.api.get_group_notifications({ is_filtered: true })).notifications.map((n) => n.notification_seq)).toEqual([seq]);
    await failure(
      t.client.api.accept_group_request({ notification_seq: seq, notification_type: 'join_request', group_id: 20003, is_filtered: true }),
      codes.permissionDenied,
    );
  });

  test('invitations by members await approval; by admins they take effect', async () => {
    await using t = await start();
    const seq = t.world.groups.invite(10003, 20001, 10007);
    expect(seq).toBeDefined();
    expect(t.sent('group_invited_join_request').map((event) => event.data)).toEqual([
      { group_id: 20001, notification_seq: seq, initiator_id: 10003, target_user_id: 10007 },
    ]);
    await t.client.api.accept_group_request({ notification_seq: seq ?? 0, notification_type: 'invited_join_request', group_id: 20001 });
    expect(t.world.groups.invite(10002, 20001, 10008)).toBeUndefined();
    expect(t.sent('group_member_increase').map((event) => event.data)).toEqual([
      { group_id: 20001, user_id: 10007, operator_id: 10001, invitor_id: 10003 },
      { group_id: 20001, user_id: 10008, invitor_id: 10002 },
    ]);
  });

  test('invitations of the bot into other groups', async () => {
    await using t = await start();
    const seq = t.world.groups.inviteBot(10009, 20004, undefined);
    expect(t.sent('group_invitation').map((event) => event.data)).toEqual([{ group_id: 20004, invitation_seq: seq, initiator_id: 10009 }]);
    await t.client.api.accept_group_invitation({ group_id: 20004, invitation_seq: seq });
    expect((await t.client.api.get_group_member_info({ group_id: 20004, user_id: 10001 })).member.role).toBe('member');
    expect(t.sent('group_member_increase').map((event) => event.data)).toEqual([{ group_id: 20004, user_id: 10001, invitor_id: 10009 }]);
    await failure(t.client.api.accept_group_invitation({ group_id: 20004, invitation_seq: seq }), codes.invalidState);
    await t.client.api.quit_group({ group_id: 20004 });
    const again = t.world.groups.inviteBot(10004, 20004, 20001);
    expect(t.sent('group_invitation')[1]?.data.source_group_id).toBe(20001);
    await t.client.api.reject_group_invitation({ group_id: 20004, invitation_seq: again });
    await failure(t.client.api.get_group_info({ group_id: 20004 }), codes.notFound);
    await failure(t.client.api.reject_group_invitation({ group_id: 20004, invitation_seq: 999 }), codes.notFound);
  });
});
