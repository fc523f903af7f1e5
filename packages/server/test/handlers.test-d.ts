import type { ApiResolvedInput, GetFriendListInputResolved, OutgoingSegmentResolved } from '@milky/types';
import { describe, expectTypeOf, test } from 'vitest';
import { type HandlerContext, MilkyServer } from '../src/index.ts';

const server = new MilkyServer();

describe('handlers are typed from the protocol', () => {
  test('input is the resolved input: defaults are present and never null', () => {
    server.handle('get_friend_list', (input, context) => {
      expectTypeOf(input).toEqualTypeOf<GetFriendListInputResolved>();
      expectTypeOf(input.no_cache).toEqualTypeOf<boolean>();
      expectTypeOf(context).toEqualTypeOf<HandlerContext<'get_friend_list'>>();
      expectTypeOf(context.api).toEqualTypeOf<'get_friend_list'>();
      return { friends: [] };
    });
    server.handle('send_group_message', async (input) => {
      expectTypeOf(input).toEqualTypeOf<ApiResolvedInput<'send_group_message'>>();
      expectTypeOf(input.message).toEqualTypeOf<OutgoingSegmentResolved[]>();
      return { message_seq: 1, time: 2 };
    });
  });

  test('results must match the output; APIs without output may return nothing', () => {
    // @ts-expect-error message_seq is a number
    server.handle('send_private_message', () => ({ message_seq: '1', time: 2 }));
    // @ts-expect-error time is required
    server.handle('send_private_message', async () => ({ message_seq: 1 }));
    server.handle('set_group_name', () => undefined);
    server.handle('set_group_name', async () => {});
    server.handle('set_group_name', () => ({}));
  });

  test('a wrong API name does not compile', () => {
    // @ts-expect-error there is no such API
    server.handle('send_group_msg', () => ({}));
    server.handleAll({
      get_login_info: () => ({ uin: 123456, nickname: 'bot' }),
      // @ts-expect-error there is no such API
      get_login: () => ({}),
    });
  });
});
