import type { Event } from '@milky/types';
import { expectTypeOf, test } from 'vitest';
import type { Caller, Context, Handler } from '../src/index.ts';

declare const caller: Caller;
declare const context: Context;

test('calls back are typed from the protocol', () => {
  expectTypeOf(caller.call('get_login_info')).resolves.toHaveProperty('uin').toEqualTypeOf<number>();
  expectTypeOf(context.group(20001).call('send_group_message', { group_id: 20001, message: [] })).resolves.toHaveProperty('message_seq');
  // @ts-expect-error: no such API
  void caller.call('send_telegram', {});
  // @ts-expect-error: group_id is a number
  void context.api.call('get_group_info', { group_id: '20001' });
  // @ts-expect-error: send_group_message needs its input
  void context.api.call('send_group_message');
});

test('a handler is given the protocol events, narrowed by event_type', () => {
  const handler: Handler = (event) => {
    if (event.event_type === 'message_receive') expectTypeOf(event.data.message_seq).toEqualTypeOf<number>();
  };
  expectTypeOf(handler).parameter(0).toEqualTypeOf<Event>();
});
