// What Milky 1.3 added, done for real on the simulated world.

import type { ApiResponse, IncomingSegment } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient } from '../src/index.ts';
import { base64Uri, codes, failure, start, token } from './helpers.ts';

const day = 24 * 3600;

/** A reference server with its sandbox, and a client of the sandbox. */
async function sandboxed() {
  const t = await start({ controlToken: 'control-token' });
  return Object.assign(t, { sandbox: new SandboxClient({ url: t.world.links.origin, token: 'control-token' }) });
}

describe('persist_group_file', () => {
  test('a temporary file loses its expire_time; until then it is gone once expired', async () => {
    let now = 1_800_000_000;
    await using t = await start({ now: () => now });
    const temporary = t.world.files.uploadGroup(10002, 20002, '/', Buffer.from('notes'), 'notes.md', now + 7 * day);
    const kept = t.world.files.uploadGroup(10002, 20002, '/', Buffer.from('kept'), 'kept.md', now + 7 * day);
    const listed = async () =>
      Object.fromEntries((await t.client.api.get_group_files({ group_id: 20002 })).files.map((file) => [file.file_name, file.expire_time]));
    expect(await listed()).toEqual({ 'notes.md': now + 7 * day, 'kept.md': now + 7 * day });

    await t.client.api.persist_group_file({ group_id: 20002, file_id: kept });
    await t.client.api.persist_group_file({ group_id: 20002, file_id: kept });
    const files = (await t.client.api.get_group_files({ group_id: 20002 })).files;
    expect(Object.hasOwn(files.find((file) => file.file_id === kept) ?? {}, 'expire_time')).toBe(false);

    now += 7 * day;
    expect(await listed()).toEqual({ 'kept.md': undefined });
    await failure(t.client.api.get_group_file_download_url({ group_id: 20002, file_id: temporary }), codes.notFound);
    await failure(t.client.api.persist_group_file({ group_id: 20002, file_id: temporary }), codes.notFound);
    await t.client.api.get_group_file_download_url({ group_id: 20002, file_id: kept });
  });

  test('needs the owner or an admin, even for the uploader', async () => {
    await using t = await start();
    const mine = await t.client.api.upload_group_file({ group_id: 20003, file_uri: base64Uri('mine'), file_name: 'mine.txt' });
    expect(await failure(t.client.api.persist_group_file({ group_id: 20003, file_id: mine.file_id }), codes.permissionDenied)).toMatch(
      /making a file permanent needs the owner or an admin of group 20003/,
    );
    await failure(t.client.api.persist_group_file({ group_id: 20004, file_id: mine.file_id }), codes.notFound);
    await failure(t.client.api.persist_group_file({ group_id: 20001, file_id: '/no-such-file' }), codes.notFound);
  });

  test('the demo world has a temporary file to persist', async () => {
    await using t = await start();
    const { files } = await t.client.api.get_group_files({ group_id: 20001 });
    const log = files.find((file) => file.file_name === 'bot.log');
    expect(log?.expire_time).toBeGreaterThan(log?.uploaded_time ?? Number.POSITIVE_INFINITY);
    await t.client.api.persist_group_file({ group_id: 20001, file_id: log?.file_id ?? '' });
    const after = (await t.client.api.get_group_files({ group_id: 20001 })).files.find((file) => file.file_name === 'bot.log');
    expect(after?.expire_time).toBeUndefined();
  });
});

describe('get_private_file_download_url: is_self_send', () => {
  test('picks the bot’s own files, or (by default) the friend’s', async () => {
    await using t = await start();
    const own = await t.client.api.upload_private_file({ user_id: 10002, file_uri: base64Uri('from the bot'), file_name: 'a.txt' });
    const theirs = t.world.files.uploadPrivate(10002, 10002, Buffer.from('from Alice'), 'b.txt');
    const [ownEvent, theirEvent] = t.sent('friend_file_upload');
    const ownHash = ownEvent?.data.file_hash ?? '';
    const theirHash = theirEvent?.data.file_hash ?? '';

    const self = await t.client.api.get_private_file_download_url({
      user_id: 10002,
      file_id: own.file_id,
      file_hash: ownHash,
      is_self_send: true,
    });
    expect(await (await fetch(self.download_url)).text()).toBe('from the bot');
    const friend = await t.client.api.get_private_file_download_url({ user_id: 10002, file_id: theirs, file_hash: theirHash });
    expect(await (await fetch(friend.download_url)).text()).toBe('from Alice');

    const wrongSide = t.client.api.get_private_file_download_url({ user_id: 10002, file_id: own.file_id, file_hash: ownHash });
    expect(await failure(wrongSide, codes.notFound)).toMatch(/sent by 10002 .*is_self_send/);
    await failure(
      t.client.api.get_private_file_download_url({ user_id: 10002, file_id: theirs, file_hash: theirHash, is_self_send: true }),
      codes.notFound,
    );
  });
});

describe('forwarded messages keep the time given for each message', () => {
  test('a given time is shown when read back; without one, the time of sending', async () => {
    const now = 1_800_000_000;
    await using t = await start({ now: () => now });
    const sent = await t.client.api.send_group_message({
      group_id: 20001,
      message: [
        {
          type: 'forward',
          data: {
            messages: [
              { user_id: 10002, sender_name: 'Alice', segments: [{ type: 'text', data: { text: 'then' } }], time: 1_700_000_000 },
              { user_id: 10003, sender_name: 'Bob', segments: [{ type: 'text', data: { text: 'now' } }] },
            ],
          },
        },
      ],
    });
    const { message } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: sent.message_seq });
    const forward = message.segments[0];
    if (forward?.type !== 'forward') throw new Error('expected a forward segment');
    const { messages } = await t.client.api.get_forwarded_messages({ forward_id: forward.data.forward_id });
    expect(messages.map((m) => [m.sender_name, m.time])).toEqual([
      ['Alice', 1_700_000_000],
      ['Bob', now],
    ]);
  });
});

describe('markdown segments', () => {
  test('a user sends one; the bot receives it and history returns it', async () => {
    await using t = await sandboxed();
    const markdown: IncomingSegment = { type: 'markdown', data: { content: '# Release\n\n- **1.3** is out' } };
    const sent = await t.sandbox.as(10002).say({ message: [markdown], group_id: 20001 });
    const [event] = t.sent('message_receive');
    expect(event?.data.segments).toEqual([markdown]);
    const { messages } = await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20001, limit: 1 });
    expect(messages[0]).toMatchObject({ message_seq: sent.message_seq, segments: [markdown] });
  });

  test('the bot cannot send one: there is no outgoing markdown segment', async () => {
    await using t = await sandboxed();
    await failure(
      t.sandbox.as(10001).say({ message: [{ type: 'markdown', data: { content: 'x' } }], group_id: 20001 }),
      codes.invalidArgument,
    );
    const message = [{ type: 'markdown', data: { content: 'x' } }];
    expect(await failure(t.client.call('send_group_message', { group_id: 20001, message } as never), -400)).toMatch(
      /message\[0\]\.type: expected one of .*got the string "markdown"/,
    );
  });
});

describe('group_disband', () => {
  test('the owner disbands a group: the bot gets group_disband, and the group is gone from its world', async () => {
    await using t = await sandboxed();
    await t.sandbox.as(10006).disband({ group_id: 20003 });
    expect(t.sent('group_disband').map((event) => event.data)).toEqual([{ group_id: 20003, operator_id: 10006 }]);
    expect((await t.client.api.get_group_list()).groups.map((group) => group.group_id)).not.toContain(20003);
    await failure(t.client.api.get_group_info({ group_id: 20003 }), codes.notFound);
    await failure(t.client.api.get_group_member_list({ group_id: 20003 }), codes.notFound);
    await failure(t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20003 }), codes.notFound);
    const hello = [{ type: 'text' as const, data: { text: 'hello?' } }];
    await failure(t.client.api.send_group_message({ group_id: 20003, message: hello }), codes.notFound);
    await failure(t.client.api.get_group_files({ group_id: 20003 }), codes.notFound);
    expect((await t.sandbox.actions.world({})).groups.map((group) => group.group_id)).not.toContain(20003);
  });

  test('only the owner may, and not the bot', async () => {
    await using t = await sandboxed();
    await failure(t.sandbox.as(10007).disband({ group_id: 20003 }), codes.permissionDenied);
    await failure(t.sandbox.as(10001).disband({ group_id: 20001 }), codes.invalidState);
    await failure(t.sandbox.as(10009).disband({ group_id: 20004 }), codes.notFound);
    expect(t.sent('group_disband')).toEqual([]);
  });
});

describe('an app of Milky 1.2 is served unchanged', () => {
  test('requests without the fields 1.3 added take their defaults', async () => {
    await using t = await start();
    const post = async (api: string, body: unknown) => {
      const response = await fetch(`${t.url}/api/${api}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return (await response.json()) as ApiResponse<Record<string, unknown>>;
    };
    const theirs = t.world.files.uploadPrivate(10002, 10002, Buffer.from('from Alice'), 'b.txt');
    const hash = t.sent('friend_file_upload')[0]?.data.file_hash;
    const download = await post('get_private_file_download_url', { user_id: 10002, file_id: theirs, file_hash: hash });
    expect(download).toMatchObject({ status: 'ok', retcode: 0 });
    const forward = { messages: [{ user_id: 10002, sender_name: 'Alice', segments: [{ type: 'text', data: { text: 'hi' } }] }] };
    const sent = await post('send_group_message', { group_id: 20001, message: [{ type: 'forward', data: forward }] });
    expect(sent).toMatchObject({ status: 'ok', retcode: 0 });
  });
});
