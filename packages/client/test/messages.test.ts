import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OutgoingSegment, validator } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { MilkyClient, segment, toSegments, toUri } from '../src/index.ts';
import { friendMessage, groupMessage, silent, startFullServer } from './helpers.ts';

describe('media sources become the URIs the protocol takes', () => {
  test.each([
    ['bytes', Buffer.from('hi'), 'base64://aGk='],
    ['a Uint8Array view', new Uint8Array([0, 104, 105, 0]).subarray(1, 3), 'base64://aGk='],
    ['{ base64 }', { base64: 'aGk=' }, 'base64://aGk='],
    ['a base64 URI', 'base64://aGk=', 'base64://aGk='],
    ['an http URL string', 'https://example.com/a.png', 'https://example.com/a.png'],
    ['a URL', new URL('http://example.com/a b.png'), 'http://example.com/a%20b.png'],
    ['{ url }', { url: 'https://example.com/x' }, 'https://example.com/x'],
    ['an absolute path', '/srv/pics/cat #1.png', 'file:///srv/pics/cat%20%231.png'],
    ['{ path }', { path: '/srv/a.amr' }, 'file:///srv/a.amr'],
    ['a relative path', 'pics/a.png', pathToFileURL(join(process.cwd(), 'pics/a.png')).href],
    ['a file URI', 'file:///tmp/a.png', 'file:///tmp/a.png'],
  ])('%s', (_, source, uri) => {
    expect(toUri(source)).toBe(uri);
  });

  test('other URL schemes are refused', () => {
    expect(() => toUri(new URL('ftp://example.com/a'))).toThrow('media URLs are http(s) or file URLs, got ftp:');
  });
});

describe('segment builders', () => {
  test('build exactly the protocol segments', () => {
    const built = [
      segment.text('hello'),
      segment.mention(10002),
      segment.mentionAll(),
      segment.face('14', { large: true }),
      segment.reply(42),
      segment.image(Buffer.from('img'), { sticker: true, summary: '[sticker]' }),
      segment.record('/srv/a.amr'),
      segment.video('https://example.com/v.mp4', { thumb: Buffer.from('t') }),
      segment.forward([{ userId: 10002, senderName: 'Alice', segments: ['hi', segment.face('1')] }], {
        title: 'Chat',
        preview: ['Alice: hi'],
      }),
      segment.lightApp({ app: 'com.example' }),
    ];
    expect(built).toEqual([
      { type: 'text', data: { text: 'hello' } },
      { type: 'mention', data: { user_id: 10002 } },
      { type: 'mention_all', data: {} },
      { type: 'face', data: { face_id: '14', is_large: true } },
      { type: 'reply', data: { message_seq: 42 } },
      { type: 'image', data: { uri: 'base64://aW1n', sub_type: 'sticker', summary: '[sticker]' } },
      { type: 'record', data: { uri: 'file:///srv/a.amr' } },
      { type: 'video', data: { uri: 'https://example.com/v.mp4', thumb_uri: 'base64://dA==' } },
      {
        type: 'forward',
        data: {
          messages: [
            {
              user_id: 10002,
              sender_name: 'Alice',
              segments: [
                { type: 'text', data: { text: 'hi' } },
                { type: 'face', data: { face_id: '1' } },
              ],
            },
          ],
          title: 'Chat',
          preview: ['Alice: hi'],
        },
      },
      { type: 'light_app', data: { json_payload: '{"app":"com.example"}' } },
    ]);
    const strict = validator(OutgoingSegment);
    for (const one of built) expect(strict.issues(one)).toEqual([]);
  });

  test('content may be a text, a segment, or a list of both', () => {
    expect(toSegments('hi')).toEqual([segment.text('hi')]);
    expect(toSegments(segment.mentionAll())).toEqual([segment.mentionAll()]);
    expect(toSegments([segment.mention(10002), ' hi'])).toEqual([segment.mention(10002), segment.text(' hi')]);
  });
});

describe('answering received messages', () => {
  const fromFriend = friendMessage(7);
  const inGroup = groupMessage(9);

  test('reply sends to the chat of the message, quoting it unless asked not to', async () => {
    await using t = await startFullServer();
    const client = new MilkyClient({ baseUrl: t.url, logger: silent });
    await client.reply(fromFriend, 'pong');
    await client.reply(inGroup, [segment.mention(10002), ' pong'], { quote: false });
    expect(t.received.get('send_private_message')).toEqual([
      {
        user_id: 10002,
        message: [
          { type: 'reply', data: { message_seq: 7 } },
          { type: 'text', data: { text: 'pong' } },
        ],
      },
    ]);
    expect(t.received.get('send_group_message')).toEqual([
      {
        group_id: 123456,
        message: [
          { type: 'mention', data: { user_id: 10002 } },
          { type: 'text', data: { text: ' pong' } },
        ],
      },
    ]);
  });

  test('recall and react pick the API of the scene', async () => {
    await using t = await startFullServer();
    const client = new MilkyClient({ baseUrl: t.url, logger: silent });
    await client.recall(fromFriend);
    await client.recall(inGroup);
    await client.react(inGroup, '👍', { emoji: true });
    await client.react(inGroup.data, '66', { remove: true });
    await expect(client.react(fromFriend, '66')).rejects.toThrow('reactions exist on group messages only');
    expect(t.received.get('recall_private_message')).toEqual([{ user_id: 10002, message_seq: 7 }]);
    expect(t.received.get('recall_group_message')).toEqual([{ group_id: 123456, message_seq: 9 }]);
    expect(t.received.get('send_group_message_reaction')).toEqual([
      { group_id: 123456, message_seq: 9, reaction: '👍', reaction_type: 'emoji', is_add: true },
      { group_id: 123456, message_seq: 9, reaction: '66', reaction_type: 'face', is_add: false },
    ]);
  });
});
