import { describe, expect, test } from 'vitest';
import { type ApiInput, applyDefaults, GetGroupFilesInput, resolveInput } from '../src/index.ts';

describe('defaults', () => {
  test('a field left out or sent as null takes its default; given values stay', () => {
    expect(resolveInput('get_friend_requests', {})).toEqual({ limit: 20, is_filtered: false });
    expect(resolveInput('get_friend_requests', { limit: null, is_filtered: true })).toEqual({ limit: 20, is_filtered: true });
    expect(resolveInput('send_group_message_reaction', { group_id: 10001, message_seq: 1, reaction: '66' })).toEqual({
      group_id: 10001,
      message_seq: 1,
      reaction: '66',
      reaction_type: 'face',
      is_add: true,
    });
    expect(resolveInput('upload_group_file', { group_id: 10001, file_uri: 'file:///a', file_name: 'a' }).parent_folder_id).toBe('/');
  });

  test('defaults reach segments, also inside forwarded bundles', () => {
    const input: ApiInput<'send_private_message'> = {
      user_id: 10001,
      message: [
        { type: 'face', data: { face_id: '1' } },
        { type: 'image', data: { uri: 'base64://AA==', sub_type: null } },
        {
          type: 'forward',
          data: {
            messages: [{ user_id: 10002, sender_name: 'a', segments: [{ type: 'face', data: { face_id: '2', is_large: true } }] }],
          },
        },
      ],
    };
    const resolved = resolveInput('send_private_message', input);
    expect(resolved.message[0]).toEqual({ type: 'face', data: { face_id: '1', is_large: false } });
    expect(resolved.message[1]).toEqual({ type: 'image', data: { uri: 'base64://AA==', sub_type: 'normal' } });
    const forward = resolved.message[2];
    if (forward?.type !== 'forward') throw new Error('expected the forward segment');
    expect(forward.data.messages[0]?.segments[0]).toEqual({ type: 'face', data: { face_id: '2', is_large: true } });
  });

  test('it works in place and returns the same object', () => {
    const input = { group_id: 10001 };
    expect(applyDefaults(GetGroupFilesInput, input)).toBe(input);
    expect(input).toEqual({ group_id: 10001, parent_folder_id: '/' });
  });

  test('APIs without defaults are left as they are', () => {
    const input = { group_id: 10001, user_id: 10002 };
    expect(resolveInput('send_group_nudge', input)).toEqual({ group_id: 10001, user_id: 10002 });
  });

  test('parts that are not objects are left alone', () => {
    const input = { user_id: 10001, message: [null, 'text', { type: 'face' }] } as never;
    expect(() => resolveInput('send_private_message', input)).not.toThrow();
  });
});
