// Write checks that cannot be undone (removing a friend, leaving a group, answering requests): run
// only on the fixtures the suite creates through a sandbox; without one, `check` skips them
// before they run.

import type { Control, Fixtures } from '../control.ts';
import { describeValue, expect } from '../report.ts';
import { marker, pngUri, type WriteScope } from './write-scope.ts';

/** The checks that need the sandbox's fixtures, in order. */
export async function fixtureChecks(scope: WriteScope): Promise<void> {
  const { target, check } = scope;
  const fx = () => scope.fixtures as Fixtures;
  const sandbox = () => scope.control as Control;
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
