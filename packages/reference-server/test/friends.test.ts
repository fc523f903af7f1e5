import { describe, expect, test } from 'vitest';
import { codes, failure, start } from './helpers.ts';

describe('friend APIs', () => {
  test('nudges in a friend chat, of the friend or of the bot itself', async () => {
    await using t = await start();
    await t.client.api.send_friend_nudge({ user_id: 10002 });
    await t.client.api.send_friend_nudge({ user_id: 10002, is_self: true });
    expect(t.sent('friend_nudge').map((event) => [event.data.user_id, event.data.is_self_send, event.data.is_self_receive])).toEqual([
      [10002, true, false],
      [10002, true, true],
    ]);
    await failure(t.client.api.send_friend_nudge({ user_id: 10008 }), codes.notFound);
  });

  test('profile likes, within the daily limit', async () => {
    await using t = await start();
    await t.client.api.send_profile_like({ user_id: 10008 });
    await t.client.api.send_profile_like({ user_id: 10008, count: 19 });
    expect(await failure(t.client.api.send_profile_like({ user_id: 10008 }), codes.invalidState)).toMatch(/20 of today's 20/);
    await failure(t.client.api.send_profile_like({ user_id: 10002, count: 0 }), codes.invalidArgument);
    await failure(t.client.api.send_profile_like({ user_id: 99999 }), codes.notFound);
  });

  test('deleting a friend', async () => {
    await using t = await start();
    await t.client.api.delete_friend({ user_id: 10005 });
    expect((await t.client.api.get_friend_list()).friends.map((friend) => friend.user_id)).not.toContain(10005);
    await failure(t.client.api.delete_friend({ user_id: 10005 }), codes.notFound);
    await failure(t.client.api.send_private_message({ user_id: 10005, message: [{ type: 'text', data: { text: 'hi' } }] }), codes.notFound);
  });

  test('friend requests: listed apart when filtered, accepted once, rejected', async () => {
    await using t = await start();
    const [heidi] = (await t.client.api.get_friend_requests()).requests;
    expect(heidi).toMatchObject({ initiator_id: 10009, target_user_id: 10001, state: 'pending', is_filtered: false, via: 'QQ号查找' });
    const [risky] = (await t.client.api.get_friend_requests({ is_filtered: true })).requests;
    expect(risky).toMatchObject({ initiator_id: 10007, is_filtered: true });
    if (!heidi || !risky) throw new Error('the demo world has requests');

    await failure(t.client.api.accept_friend_request({ initiator_uid: heidi.initiator_uid, is_filtered: true }), codes.notFound);
    await t.client.api.accept_friend_request({ initiator_uid: heidi.initiator_uid });
    expect((await t.client.api.get_friend_info({ user_id: 10009 })).friend.category.category_id).toBe(0);
    expect(await failure(t.client.api.accept_friend_request({ initiator_uid: heidi.initiator_uid }), codes.invalidState)).toMatch(
      /already accepted/,
    );
    expect((await t.client.api.get_friend_requests({ limit: 1 })).requests[0]?.state).toBe('accepted');

    await t.client.api.reject_friend_request({ initiator_uid: risky.initiator_uid, is_filtered: true, reason: 'no' });
    expect((await t.client.api.get_friend_requests({ is_filtered: true })).requests[0]?.state).toBe('rejected');
    await failure(t.client.api.get_friend_info({ user_id: 10007 }), codes.notFound);
    await failure(t.client.api.reject_friend_request({ initiator_uid: 'u_nobody' }), codes.notFound);
  });

  test('a new friend request arrives as an event', async () => {
    await using t = await start();
    const request = t.world.people.requestFriendship(10008, 'hello from Grace', '群聊');
    expect(t.sent('friend_request').map((event) => event.data)).toEqual([
      { initiator_id: 10008, initiator_uid: request.initiator_uid, comment: 'hello from Grace', via: '群聊' },
    ]);
    expect(() => t.world.people.requestFriendship(10008, 'again', '群聊')).toThrow(/pending/);
    expect(() => t.world.people.requestFriendship(10002, 'hi', '群聊')).toThrow(/already a friend/);
  });
});
