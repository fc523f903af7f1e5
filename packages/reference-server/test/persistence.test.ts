import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { base64Uri, download, png, start } from './helpers.ts';

test('a restart keeps the world: messages, resources, roles, requests, files and links', async () => {
  const database = join(await mkdtemp(join(tmpdir(), 'milky-world-')), 'world.sqlite');
  let imageUrl: string;
  let fileId: string;
  {
    await using t = await start({ database });
    await t.client.api.set_nickname({ new_nickname: 'Persistent Bot' });
    const image = { type: 'image' as const, data: { uri: png(5).uri } };
    await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'kept' } }, image] });
    await t.client.api.set_group_member_admin({ group_id: 20001, user_id: 10004 });
    const [request] = (await t.client.api.get_friend_requests()).requests;
    await t.client.api.accept_friend_request({ initiator_uid: request?.initiator_uid ?? '' });
    fileId = (await t.client.api.upload_group_file({ group_id: 20001, file_uri: base64Uri('kept file'), file_name: 'k.txt' })).file_id;
    const { message } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: 8 });
    imageUrl = message.segments[1]?.type === 'image' ? message.segments[1].data.temp_url : '';
  }
  await using t = await start({ database, seed: 'empty' });
  expect(t.world.created).toBe(false);
  expect((await t.client.api.get_login_info()).nickname).toBe('Persistent Bot');
  const { message } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: 8 });
  expect(message.segments[0]).toEqual({ type: 'text', data: { text: 'kept' } });
  expect((await t.client.api.get_group_member_info({ group_id: 20001, user_id: 10004 })).member.role).toBe('admin');
  expect((await t.client.api.get_friend_info({ user_id: 10009 })).friend.nickname).toBe('Heidi');
  const { download_url } = await t.client.api.get_group_file_download_url({ group_id: 20001, file_id: fileId });
  expect((await download(download_url)).bytes.toString()).toBe('kept file');
  // The link signed before the restart still works on the new port: the signing key is kept too.
  const path = new URL(imageUrl).pathname + new URL(imageUrl).search;
  expect((await fetch(`${t.world.links.origin}${path}`)).status).toBe(200);
  expect(
    (await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'next' } }] })).message_seq,
  ).toBe(10); // 7 seeded, then the message and the file message sent before the restart
});

test('concurrent calls never corrupt the world', async () => {
  await using t = await start();
  const image = { type: 'image' as const, data: { uri: png(3).uri } };
  const sends = Array.from({ length: 200 }, (_, i) =>
    t.client.api.send_group_message({ group_id: 20002, message: [{ type: 'text', data: { text: `#${i}` } }, image] }),
  );
  const toggles = Array.from({ length: 50 }, (_, i) =>
    t.client.api.set_group_member_mute({ group_id: 20002, user_id: 10007, duration: i % 2 ? 0 : 60 }),
  );
  const results = await Promise.all(sends);
  await Promise.all(toggles);
  const seqs = results.map((result) => result.message_seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 3));
  const texts = new Set<string>();
  const images = new Set<string>();
  let from: number | undefined;
  for (;;) {
    const page = await t.client.api.get_history_messages({
      message_scene: 'group',
      peer_id: 20002,
      limit: 30,
      ...(from ? { start_message_seq: from } : {}),
    });
    for (const message of page.messages) {
      if (message.segments[0]?.type === 'text') texts.add(message.segments[0].data.text);
      if (message.segments[1]?.type === 'image') images.add(message.segments[1].data.resource_id);
    }
    from = page.next_message_seq ?? undefined;
    if (from === undefined) break;
  }
  expect(texts.size).toBe(202);
  // The same picture is one resource, named by its content, and its bytes are kept once.
  const digest = createHash('sha1').update(png(3).bytes).digest();
  expect([...images]).toEqual([`image_${digest.toString('base64url')}`]);
  const count = (sql: string) => t.world.db.get<{ n: number }>(sql, digest.toString('hex'))?.n;
  expect(count('SELECT COUNT(*) AS n FROM resources WHERE sha1 = ?')).toBe(1);
  expect(count('SELECT COUNT(*) AS n FROM blobs WHERE sha1 = ?')).toBe(1);
  expect((await t.client.api.get_resource_temp_url({ resource_id: [...images][0] as string })).url).toMatch(/^http/);
});

test('a world of schema version 1 is migrated: its messages move to an ordinary table and stay readable', async () => {
  const database = join(await mkdtemp(join(tmpdir(), 'milky-world-')), 'world.sqlite');
  {
    await using t = await start({ database });
    await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'from version 1' } }] });
  }
  // Turn the file into what version 1 wrote: messages in a WITHOUT ROWID table.
  const { DatabaseSync } = await import('node:sqlite');
  const old = new DatabaseSync(database);
  old.exec(`
    CREATE TABLE messages_v1 (
      scene TEXT NOT NULL, peer_id INTEGER NOT NULL, seq INTEGER NOT NULL, sender_id INTEGER NOT NULL,
      time INTEGER NOT NULL, segments TEXT NOT NULL, via_group INTEGER, recalled INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (scene, peer_id, seq)
    ) WITHOUT ROWID;
    INSERT INTO messages_v1 SELECT scene, peer_id, seq, sender_id, time, segments, via_group, recalled FROM messages;
    DROP TABLE messages;
    ALTER TABLE messages_v1 RENAME TO messages;
    UPDATE meta SET value = '1' WHERE key = 'schema_version';
  `);
  old.close();

  await using t = await start({ database });
  const { sqlite } = t.world.db;
  expect(sqlite.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '2' });
  const table = sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get() as { sql: string };
  expect(table.sql).not.toMatch(/WITHOUT ROWID/i);
  const { message } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: 8 });
  expect(message.segments).toEqual([{ type: 'text', data: { text: 'from version 1' } }]);
  const next = await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'after' } }] });
  expect(next.message_seq).toBe(9);
  // The key stays unique.
  expect(() =>
    sqlite.prepare("INSERT INTO messages (scene, peer_id, seq, sender_id, time, segments) VALUES ('group', 20001, 9, 1, 1, '[]')").run(),
  ).toThrow(/UNIQUE/);
});

test('a world of a newer schema version than the server reads is refused, naming both', async () => {
  const database = join(await mkdtemp(join(tmpdir(), 'milky-world-')), 'world.sqlite');
  {
    await using t = await start({ database });
    t.world.db.setMeta('schema_version', '99');
  }
  await expect(start({ database })).rejects.toThrow(/schema version 99; this server reads versions 1 to 2/);
});

test('a world in memory packs stored messages of a kilobyte and a bit: under 1.6 KB of pages each', async () => {
  await using t = await start();
  const { world } = t;
  const pages = () => {
    const count = world.db.get<{ page_count: number }>('PRAGMA page_count')?.page_count ?? 0;
    return count * (world.db.get<{ page_size: number }>('PRAGMA page_size')?.page_size ?? 0);
  };
  const prepared = await world.messages.prepare([{ type: 'text', data: { text: 'x'.repeat(1300) } }], 'message');
  const before = pages();
  const count = 500;
  for (let i = 0; i < count; i++) world.messages.send(world.selfId, { scene: 'group', peerId: 20001 }, prepared);
  expect((pages() - before) / count).toBeLessThan(1600);
});
