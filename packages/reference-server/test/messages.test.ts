import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingSegment, OutgoingSegment } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { base64Uri, codes, download, failure, png, start } from './helpers.ts';

const text = (value: string): OutgoingSegment => ({ type: 'text', data: { text: value } });

/** A WAV file of `seconds` of silence, 8 kHz mono 8-bit. */
function wav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds, 0x80);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

function only<T extends IncomingSegment['type']>(segments: IncomingSegment[], type: T): Extract<IncomingSegment, { type: T }> {
  const found = segments.find((segment) => segment.type === type);
  if (!found) throw new Error(`no ${type} segment`);
  return found as Extract<IncomingSegment, { type: T }>;
}

describe('sending', () => {
  test('every outgoing segment type becomes what receivers see, resources stored and served back', async () => {
    await using t = await start();
    const image = png(12);
    const message: OutgoingSegment[] = [
      { type: 'reply', data: { message_seq: 1 } },
      { type: 'mention', data: { user_id: 10002 } },
      { type: 'mention_all', data: {} },
      text(' hello '),
      { type: 'face', data: { face_id: '76', is_large: true } },
      { type: 'image', data: { uri: image.uri, sub_type: 'sticker' } },
      { type: 'record', data: { uri: base64Uri(wav(3)) } },
      { type: 'video', data: { uri: base64Uri('not really a video'), thumb_uri: png(2).uri } },
      {
        type: 'forward',
        data: {
          messages: [
            { user_id: 10002, sender_name: 'Alice', segments: [text('first')] },
            { user_id: 10003, sender_name: 'Bob', segments: [{ type: 'image', data: { uri: image.uri } }] },
          ],
        },
      },
      { type: 'light_app', data: { json_payload: JSON.stringify({ app: 'com.tencent.miniapp', view: 'card' }) } },
    ];
    const sent = await t.client.api.send_group_message({ group_id: 20001, message });
    expect(sent.message_seq).toBe(8); // after 5 seeded messages and 2 seeded file uploads
    const { message: got } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: sent.message_seq });
    if (got.message_scene !== 'group') throw new Error('a group message');
    expect(got.sender_id).toBe(10001);
    expect(got.group_member.role).toBe('owner');
    expect(got.segments.map((segment) => segment.type)).toEqual([
      'reply',
      'mention',
      'mention_all',
      'text',
      'face',
      'image',
      'record',
      'video',
      'forward',
      'light_app',
    ]);
    expect(only(got.segments, 'reply').data).toMatchObject({ message_seq: 1, sender_id: 10002, sender_name: 'Alice | maintainer' });
    expect(only(got.segments, 'mention').data).toEqual({ user_id: 10002, name: 'Alice | maintainer' });
    expect(only(got.segments, 'face').data).toEqual({ face_id: '76', is_large: true });
    const stored = only(got.segments, 'image').data;
    expect(stored).toMatchObject({ width: 12, height: 12, sub_type: 'sticker', summary: '[动画表情]' });
    expect((await download(stored.temp_url)).bytes.equals(image.bytes)).toBe(true);
    const { url } = await t.client.api.get_resource_temp_url({ resource_id: stored.resource_id });
    expect((await download(url)).type).toBe('image/png');
    expect(only(got.segments, 'record').data.duration).toBe(3);
    expect((await download(only(got.segments, 'video').data.temp_url)).bytes.toString()).toBe('not really a video');
    const forward = only(got.segments, 'forward').data;
    expect(forward).toMatchObject({ title: '群聊的聊天记录', summary: '查看2条转发消息', preview: ['Alice: first', 'Bob: [图片]'] });
    const { messages } = await t.client.api.get_forwarded_messages({ forward_id: forward.forward_id });
    expect(messages.map((m) => [m.message_seq, m.sender_name, m.segments[0]?.type])).toEqual([
      [1, 'Alice', 'text'],
      [2, 'Bob', 'image'],
    ]);
    expect((await download(messages[0]?.avatar_url ?? '')).type).toBe('image/png');
    expect(only(got.segments, 'light_app').data.app_name).toBe('com.tencent.miniapp');
  });

  test('private messages go to friends only', async () => {
    await using t = await start();
    const sent = await t.client.api.send_private_message({ user_id: 10002, message: [text('hi Alice')] });
    expect(sent.message_seq).toBe(4);
    const { message } = await t.client.api.get_message({ message_scene: 'friend', peer_id: 10002, message_seq: 4 });
    expect(message).toMatchObject({ message_scene: 'friend', sender_id: 10001, friend: { user_id: 10002 } });
    await failure(t.client.api.send_private_message({ user_id: 10008, message: [text('hi')] }), codes.notFound);
    expect(await failure(t.client.api.send_private_message({ user_id: 10002, message: [] }), codes.invalidArgument)).toMatch(/^message: /);
  });

  test('the bot’s own messages are reported only when configured', async () => {
    await using quiet = await start();
    await quiet.client.api.send_group_message({ group_id: 20001, message: [text('x')] });
    expect(quiet.sent('message_receive')).toEqual([]);
    await using loud = await start({ reportSelfMessages: true });
    await loud.client.api.send_group_message({ group_id: 20001, message: [text('x')] });
    expect(loud.sent('message_receive').map((event) => [event.data.sender_id, event.data.message_seq])).toEqual([[10001, 8]]);
  });

  test('bad segments fail with the field that is wrong', async () => {
    await using t = await start();
    const send = (message: OutgoingSegment[], group_id = 20001) => t.client.api.send_group_message({ group_id, message });
    expect(await failure(send([{ type: 'reply', data: { message_seq: 999 } }]), codes.notFound)).toMatch(
      /^message\[0\]\.data\.message_seq: no message 999/,
    );
    expect(await failure(send([text('a'), { type: 'mention', data: { user_id: 10008 } }]), codes.invalidArgument)).toMatch(
      /^message\[1\]\.data\.user_id: .*not a member/,
    );
    expect(await failure(send([{ type: 'mention_all', data: {} }], 20003), codes.permissionDenied)).toMatch(/owner or an admin/);
    expect(await failure(send([{ type: 'image', data: { uri: base64Uri('text, not an image') } }]), codes.invalidArgument)).toMatch(
      /^message\[0\]\.data\.uri: the data is not an image/,
    );
    expect(await failure(send([{ type: 'image', data: { uri: 'ftp://example.com/a.png' } }]), codes.invalidArgument)).toMatch(
      /file:\/\/, http\(s\):\/\/ or base64:\/\//,
    );
    expect(await failure(send([{ type: 'record', data: { uri: 'base64://***' } }]), codes.invalidArgument)).toMatch(/not base64/);
    expect(await failure(send([{ type: 'light_app', data: { json_payload: '{"no_app": 1}' } }]), codes.invalidArgument)).toMatch(/"app"/);
    const nested: OutgoingSegment = {
      type: 'forward',
      data: { messages: [{ user_id: 10002, sender_name: 'A', segments: [{ type: 'reply', data: { message_seq: 1 } }] }] },
    };
    expect(await failure(send([nested]), codes.invalidArgument)).toMatch(
      /^message\[0\]\.data\.messages\[0\]\.segments\[0\]: a forwarded message cannot reply/,
    );
    await failure(send([text('x')], 20004), codes.notFound);
    // Nothing of the failed sends was stored.
    expect((await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20001 })).messages).toHaveLength(7);
  });

  test('resources from file:// and http:// URIs, and failures to read them', async () => {
    await using t = await start();
    const image = png(6);
    const dir = await mkdtemp(join(tmpdir(), 'milky-reference-'));
    await writeFile(join(dir, 'a.png'), image.bytes);
    const site = http.createServer((request, response) => {
      if (request.url === '/a.png') response.writeHead(200, { 'content-type': 'image/png' }).end(image.bytes);
      else response.writeHead(404).end();
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    const base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    try {
      for (const uri of [pathToFileURL(join(dir, 'a.png')).href, `${base}/a.png`]) {
        const { message_seq } = await t.client.api.send_private_message({ user_id: 10003, message: [{ type: 'image', data: { uri } }] });
        const { message } = await t.client.api.get_message({ message_scene: 'friend', peer_id: 10003, message_seq });
        expect((await download(only(message.segments, 'image').data.temp_url)).bytes.equals(image.bytes)).toBe(true);
      }
      const image404 = [{ type: 'image' as const, data: { uri: `${base}/missing.png` } }];
      expect(await failure(t.client.api.send_private_message({ user_id: 10003, message: image404 }), codes.resourceUnavailable)).toMatch(
        /answered HTTP 404/,
      );
      const missing = [{ type: 'image' as const, data: { uri: pathToFileURL(join(dir, 'missing.png')).href } }];
      expect(await failure(t.client.api.send_private_message({ user_id: 10003, message: missing }), codes.resourceUnavailable)).toMatch(
        /no file at/,
      );
    } finally {
      site.close();
    }
  });

  test('muted senders and whole-group mute', async () => {
    await using t = await start();
    t.world.groups.mute(10006, 20003, 10001, 600);
    expect(await failure(t.client.api.send_group_message({ group_id: 20003, message: [text('x')] }), codes.invalidState)).toMatch(/muted/);
    t.world.groups.mute(10006, 20003, 10001, 0);
    t.world.groups.wholeMute(10006, 20003, true);
    expect(await failure(t.client.api.send_group_message({ group_id: 20003, message: [text('x')] }), codes.invalidState)).toMatch(
      /as a whole/,
    );
    t.world.groups.wholeMute(10005, 20002, true);
    await t.client.api.send_group_message({ group_id: 20002, message: [text('admins may speak')] });
  });
});

describe('recalling', () => {
  test('own messages, and others’ by rank in groups', async () => {
    await using t = await start();
    const { message_seq } = await t.client.api.send_private_message({ user_id: 10002, message: [text('oops')] });
    await t.client.api.recall_private_message({ user_id: 10002, message_seq });
    await failure(t.client.api.get_message({ message_scene: 'friend', peer_id: 10002, message_seq }), codes.notFound);
    await failure(t.client.api.recall_private_message({ user_id: 10002, message_seq }), codes.notFound);
    expect(await failure(t.client.api.recall_private_message({ user_id: 10002, message_seq: 1 }), codes.permissionDenied)).toMatch(
      /only the sender/,
    );

    await t.client.api.recall_group_message({ group_id: 20001, message_seq: 1 }); // the owner recalls an admin's message
    expect(await failure(t.client.api.recall_group_message({ group_id: 20003, message_seq: 1 }), codes.permissionDenied)).toMatch(
      /owner or an admin/,
    );
    expect(await failure(t.client.api.recall_group_message({ group_id: 20002, message_seq: 1 }), codes.permissionDenied)).toMatch(
      /rank above/,
    );
    await t.client.api.recall_group_message({ group_id: 20002, message_seq: 2 }); // an admin recalls a member's
    expect(t.sent('message_recall').map((event) => event.data)).toEqual([
      { message_scene: 'friend', peer_id: 10002, message_seq, sender_id: 10001, operator_id: 10001, display_suffix: '' },
      { message_scene: 'group', peer_id: 20001, message_seq: 1, sender_id: 10002, operator_id: 10001, display_suffix: '' },
      { message_scene: 'group', peer_id: 20002, message_seq: 2, sender_id: 10007, operator_id: 10001, display_suffix: '' },
    ]);
  });
});

describe('history', () => {
  test('pages go back from the newest, oldest first in each page, skipping recalled messages', async () => {
    await using t = await start();
    for (let i = 0; i < 40; i++) await t.client.api.send_group_message({ group_id: 20002, message: [text(`m${i}`)] });
    await t.client.api.recall_group_message({ group_id: 20002, message_seq: 30 });
    const first = await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20002, limit: 30 });
    // Two seeded messages, then 3 to 42; 30 is recalled.
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(first.messages.map((m) => m.message_seq)).toEqual([...range(12, 29), ...range(31, 42)]);
    expect(first.next_message_seq).toBe(11);
    const second = await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20002, start_message_seq: 11 });
    expect(second.messages.map((m) => m.message_seq)).toEqual(range(1, 11));
    expect(second.next_message_seq).toBeUndefined();
    expect(
      (await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20002, start_message_seq: 5, limit: 2 })).messages.map(
        (m) => m.message_seq,
      ),
    ).toEqual([4, 5]);
    // The bounds are the spec's (`@minimum 1`, `@maximum 30`): the validator answers, naming the field.
    expect(await failure(t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20002, limit: 31 }), -400)).toMatch(
      /^invalid parameters: limit: expected an integer from 1 to 30/,
    );
    expect(await failure(t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20002, limit: 0 }), -400)).toMatch(
      /^invalid parameters: limit: expected an integer from 1 to 30/,
    );
    await failure(t.client.api.get_history_messages({ message_scene: 'friend', peer_id: 10008 }), codes.notFound);
  });

  test('temporary chats carry the group they run through', async () => {
    await using t = await start();
    const { messages } = await t.client.api.get_history_messages({ message_scene: 'temp', peer_id: 10008 });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ message_scene: 'temp', sender_id: 10008, group: { group_id: 20003 } });
  });

  test('marking as read, and unknown resources and bundles', async () => {
    await using t = await start();
    await t.client.api.mark_message_as_read({ message_scene: 'group', peer_id: 20001, message_seq: 3 });
    await t.client.api.mark_message_as_read({ message_scene: 'group', peer_id: 20001, message_seq: 2 });
    expect(t.world.messages.readMark('group', 20001)).toBe(3);
    await failure(t.client.api.mark_message_as_read({ message_scene: 'group', peer_id: 20001, message_seq: 99 }), codes.notFound);
    await failure(t.client.api.get_resource_temp_url({ resource_id: 'image_nothing' }), codes.notFound);
    await failure(t.client.api.get_forwarded_messages({ forward_id: 'fwd_nothing' }), codes.notFound);
  });

  test('temporary links are signed and expire', async () => {
    let now = 1_800_000_000;
    await using t = await start({ now: () => now, linkTtl: 60 });
    const { message } = await t.client.api.get_message({ message_scene: 'friend', peer_id: 10002, message_seq: 3 });
    const url = only(message.segments, 'image').data.temp_url;
    expect((await fetch(url)).status).toBe(200);
    const forged = url.replace(/signature=(.)/, (_, first: string) => `signature=${first === 'A' ? 'B' : 'A'}`);
    expect((await fetch(forged)).status).toBe(403);
    now += 61;
    expect((await fetch(url)).status).toBe(403);
  });
});

describe('the statements of a send', () => {
  test("a group message of text reads the group and both memberships in one statement, then its chat's last seq, then stores it", async () => {
    await using t = await start();
    const { db } = t.world;
    const statements: string[] = [];
    for (const method of ['get', 'all', 'run'] as const) {
      const original = db[method].bind(db) as (sql: string, ...params: never[]) => unknown;
      Object.defineProperty(db, method, {
        configurable: true,
        value: (sql: string, ...params: never[]) => {
          statements.push(sql);
          return original(sql, ...params);
        },
      });
    }
    const sent = await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'hello' } }] });
    expect(sent.message_seq).toBe(8);
    // The group, joined with the bot's and the sender's memberships.
    expect(statements.filter((sql) => /FROM groups\b/.test(sql) && /JOIN members\b/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /FROM members\b/.test(sql))).toHaveLength(0);
    // The chat's last seq (an index seek), then the row.
    expect(statements.filter((sql) => /\bmessages\b/.test(sql))).toEqual([
      expect.stringMatching(/^SELECT MAX\(seq\)/),
      expect.stringMatching(/^INSERT INTO messages\b/),
    ]);
    expect(statements.filter((sql) => /^UPDATE members SET last_sent_time\b/.test(sql))).toHaveLength(1);
    expect(statements).toHaveLength(4);
    // An unknown group is refused as before: by the send's own check.
    const missing = await failure(
      t.client.api.send_group_message({ group_id: 99999, message: [{ type: 'text', data: { text: 'x' } }] }),
      codes.notFound,
    );
    expect(missing).toContain('the bot is not in a group 99999');
  });
});
