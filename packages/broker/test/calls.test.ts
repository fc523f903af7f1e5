// Calls back through a group: which failures send a call on to the next account.

import { MilkyApiError, MilkyClient, MilkyHttpError, MilkyNetworkError, MilkyTimeoutError } from '@milky/client';
import { expect, test } from 'vitest';
import { Calls, isFailover, Keys } from '../src/index.ts';
import { connect, freshPrefix, type Side, sharedGroup, sides, silent, token } from './helpers.ts';

test.each([
  [new MilkyApiError(-403, 'the bot is not logged in', { api: 'send_group_message' }), true],
  [new MilkyNetworkError(new Error('ECONNREFUSED')), true],
  [new MilkyTimeoutError(5000), true],
  [new MilkyApiError(-404, 'no such group', { api: 'send_group_message' }), false],
  [new MilkyApiError(-400, 'message: expected an array', { api: 'send_group_message' }), false],
  [new MilkyHttpError(500, 'oops'), false],
])('%s goes on to the next account: %s', (error, expected) => {
  expect(isFailover(error)).toBe(expected);
});

test('a group call goes on to the next account when the first cannot be reached', async () => {
  await using worlds = await sides(2);
  const [gone, spare] = worlds as unknown as [Side, Side];
  const redis = connect();
  try {
    const calls = new Calls(redis, new Keys(freshPrefix()), { accounts: worlds.map((side) => side.account), logger: silent });
    // Both accounts are known before the first goes away.
    expect((await calls.account(gone.uin).call('get_login_info')).uin).toBe(gone.uin);
    expect((await calls.account(spare.uin).call('get_login_info')).uin).toBe(spare.uin);
    await gone.close();
    const sent = await calls.group(sharedGroup, [gone.uin]).call('send_group_message', {
      group_id: sharedGroup,
      message: [{ type: 'text', data: { text: 'through the spare' } }],
    });
    const client = new MilkyClient({ baseUrl: spare.url, accessToken: token, logger: silent });
    const { message } = await client.api.get_message({ message_scene: 'group', peer_id: sharedGroup, message_seq: sent.message_seq });
    expect(message.sender_id).toBe(spare.uin);
  } finally {
    redis.disconnect();
  }
});
