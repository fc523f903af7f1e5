import type { EventOf, GetFriendListOutput, SendGroupMessageInput, SendGroupMessageOutput, UnknownEvent } from '@milky/types';
import { describe, expectTypeOf, test } from 'vitest';
import { MilkyClient, MilkyWebhookReceiver, segment } from '../src/index.ts';

const client = new MilkyClient({ baseUrl: 'http://127.0.0.1:3000' });

describe('the call surface', () => {
  test('results are typed as the API output', () => {
    expectTypeOf(client.api.send_group_message).parameter(0).toEqualTypeOf<SendGroupMessageInput>();
    expectTypeOf(
      client.api.send_group_message({ group_id: 123456, message: [segment.text('hi')] }),
    ).resolves.toEqualTypeOf<SendGroupMessageOutput>();
    expectTypeOf(client.call('get_friend_list', { no_cache: true })).resolves.toEqualTypeOf<GetFriendListOutput>();
  });

  test('inputs may be left out only when nothing is required', () => {
    client.api.get_login_info();
    client.api.get_friend_list();
    // @ts-expect-error group_id and message are required
    client.api.send_group_message();
    // @ts-expect-error group_id is required
    client.call('get_group_info');
  });

  test('a wrong API name or a wrong parameter does not compile', () => {
    // @ts-expect-error there is no such API
    client.call('send_group_msg', {});
    // @ts-expect-error there is no such API
    client.api.send_group_msg;
    // @ts-expect-error group_id is a number
    client.api.get_group_info({ group_id: '123' });
    // @ts-expect-error no such segment type
    client.api.send_group_message({ group_id: 1, message: [{ type: 'txt', data: { text: 'x' } }] });
  });

  test('retry is for read-only APIs only', () => {
    client.api.get_group_info({ group_id: 123456 }, { retry: 3 });
    client.call('get_friend_list', {}, { retry: { attempts: 2 } });
    // @ts-expect-error sending a message is not read-only
    client.api.send_group_message({ group_id: 123456, message: [] }, { retry: true });
    client.api.send_group_message({ group_id: 123456, message: [] }, { timeout: 1000 });
  });
});

describe('events', () => {
  test('handlers are narrowed by event type', () => {
    client.on('group_member_increase', (event) => {
      expectTypeOf(event).toEqualTypeOf<EventOf<'group_member_increase'>>();
      expectTypeOf(event.data.user_id).toEqualTypeOf<number>();
    });
    client.on('message_receive', (event) => {
      if (event.data.message_scene === 'group') expectTypeOf(event.data.group.group_name).toEqualTypeOf<string>();
    });
    client.on('unknown', (event) => expectTypeOf(event).toEqualTypeOf<UnknownEvent>());
    client.on('reconnecting', ({ attempt, delay }) => expectTypeOf([attempt, delay]).toEqualTypeOf<number[]>());
    // @ts-expect-error no such event type
    client.on('x_unknown_event', () => {});
  });

  test('the receiver has the same typed API', () => {
    const receiver = new MilkyWebhookReceiver();
    receiver.on('friend_request', (event) => expectTypeOf(event.data.initiator_uid).toEqualTypeOf<string>());
  });
});
