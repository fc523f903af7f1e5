// Type-level tests: the call surface rejects wrong names and wrong fields, and events narrow.

import type { Static } from '@sinclair/typebox';
import { describe, expectTypeOf, test } from 'vitest';
import type * as S from '../src/index.ts';
import type {
  ApiInput,
  ApiName,
  ApiNameOf,
  ApiOutput,
  ApiResolvedInput,
  Event,
  EventData,
  EventOf,
  EventType,
  FriendEntity,
  GetFriendListInputResolved,
  IncomingMessageOf,
  IncomingSegment,
  IncomingSegmentOf,
  OutgoingSegment,
  ReadOnlyApiName,
  SendGroupMessageInput,
  UnknownEvent,
} from '../src/index.ts';
import { apiValidators, type FriendEntity as FriendEntitySchema, isKnownEvent } from '../src/index.ts';

describe('API types', () => {
  test('inputs, resolved inputs and outputs', () => {
    expectTypeOf<ApiInput<'send_group_message'>>().toEqualTypeOf<SendGroupMessageInput>();
    expectTypeOf<ApiOutput<'send_group_message'>>().toEqualTypeOf<{ message_seq: number; time: number }>();
    expectTypeOf<ApiInput<'get_friend_list'>>().toEqualTypeOf<{ no_cache?: boolean | null }>();
    expectTypeOf<ApiResolvedInput<'get_friend_list'>>().toEqualTypeOf<GetFriendListInputResolved>();
    expectTypeOf<ApiResolvedInput<'get_friend_list'>['no_cache']>().toEqualTypeOf<boolean>();
    expectTypeOf<ApiInput<'get_login_info'>>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<'upload_group_file' | 'delete_group_folder'>().toMatchTypeOf<ApiNameOf<'file'>>();
    expectTypeOf<ApiNameOf<'file'>>().toMatchTypeOf<ApiName>();
    expectTypeOf<'send_group_message'>().not.toMatchTypeOf<ApiNameOf<'file'>>();
  });

  test('read-only APIs', () => {
    expectTypeOf<'get_friend_list'>().toMatchTypeOf<ReadOnlyApiName>();
    expectTypeOf<'send_group_message'>().not.toMatchTypeOf<ReadOnlyApiName>();
    expectTypeOf<'mark_message_as_read'>().not.toMatchTypeOf<ReadOnlyApiName>();
  });

  test('a wrong API name does not compile', () => {
    // @ts-expect-error there is no such API
    type Wrong = ApiInput<'send_group_msg'>;
    expectTypeOf<'send_group_msg'>().not.toMatchTypeOf<ApiName>();
    // @ts-expect-error there is no such API
    apiValidators('send_group_msg');
  });

  test('a wrong field type does not compile', () => {
    // @ts-expect-error group_id is a number
    const wrongType: ApiInput<'send_group_message'> = { group_id: '123', message: [] };
    // @ts-expect-error message is required
    const missing: ApiInput<'send_group_message'> = { group_id: 123 };
    // @ts-expect-error there is no `txt` segment
    const wrongSegment: OutgoingSegment = { type: 'txt', data: { text: 'hi' } };
    // @ts-expect-error a text segment carries `text`
    const wrongData: OutgoingSegment = { type: 'text', data: { content: 'hi' } };
    // @ts-expect-error message_scene is one of three values
    const wrongEnum: ApiInput<'get_message'> = { message_scene: 'x_channel', peer_id: 1, message_seq: 1 };
    const ok: ApiInput<'send_group_message'> = { group_id: 123, message: [{ type: 'text', data: { text: 'hi' } }] };
    expectTypeOf(ok).toEqualTypeOf<SendGroupMessageInput>();
  });
});

describe('event types', () => {
  test('events narrow by event_type', () => {
    const handle = (event: Event) => {
      if (event.event_type === 'group_nudge') expectTypeOf(event.data.receiver_id).toEqualTypeOf<number>();
      if (event.event_type === 'message_receive' && event.data.message_scene === 'group') {
        expectTypeOf(event.data.group_member.role).toEqualTypeOf<'owner' | 'admin' | 'member'>();
      }
    };
    expectTypeOf(handle).toBeFunction();
    expectTypeOf<EventOf<'bot_offline'>>().toEqualTypeOf<{
      event_type: 'bot_offline';
      time: number;
      self_id: number;
      data: { reason: string };
    }>();
    expectTypeOf<EventData<'friend_request'>['initiator_uid']>().toEqualTypeOf<string>();
    expectTypeOf<EventType>().toMatchTypeOf<string>();
    // @ts-expect-error no such event type
    type Wrong = EventOf<'x_unknown_event'>;
  });

  test('segments and scenes narrow', () => {
    const text = (segment: IncomingSegment) => (segment.type === 'image' ? segment.data.resource_id : '');
    expectTypeOf(text).returns.toEqualTypeOf<string>();
    expectTypeOf<IncomingSegmentOf<'mention'>['data']['user_id']>().toEqualTypeOf<number>();
    expectTypeOf<IncomingMessageOf<'temp'>['group']>().toEqualTypeOf<S.GroupEntity | null | undefined>();
  });

  test('isKnownEvent tells known events from unknown ones', () => {
    const route = (event: Event | UnknownEvent) => {
      if (isKnownEvent(event)) expectTypeOf(event).toEqualTypeOf<Event>();
      else expectTypeOf(event).toEqualTypeOf<UnknownEvent>();
    };
    expectTypeOf(route).toBeFunction();
  });
});

describe('schemas and static types agree', () => {
  test('Static of a schema is the interface of the same name', () => {
    expectTypeOf<Static<typeof FriendEntitySchema>>().toEqualTypeOf<FriendEntity>();
    expectTypeOf<Static<typeof S.Event>>().toEqualTypeOf<Event>();
    expectTypeOf<Static<typeof S.SendGroupMessageInput>>().toEqualTypeOf<SendGroupMessageInput>();
  });

  test('a validator narrows to its type', () => {
    const value: unknown = {};
    const { input } = apiValidators('send_group_message');
    if (input.check(value)) expectTypeOf(value).toEqualTypeOf<SendGroupMessageInput>();
  });
});
