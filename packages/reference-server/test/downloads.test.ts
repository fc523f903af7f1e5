// What a resource or file costs to send and to fetch: a request body has room for the largest
// resource the world accepts, sent as base64://, and HEAD of a download link reads no content.

import { expect, test, vi } from 'vitest';
import { ReferenceServer } from '../src/index.ts';
import { base64Uri, codes, failure, png, silent, start } from './helpers.ts';

test('a base64:// resource at the resource limit fits the body limit; one byte over is refused naming the field and the limit', async () => {
  // Over 12 MiB, whose base64:// form no longer fits @milky/server's own 16 MiB; one byte over is a multiple of three,
  // which base64 encodes without padding.
  const maxResourceBytes = 13 * 1024 * 1024 + 1;
  await using t = await start({ maxResourceBytes });
  expect(t.server.bodyLimit).toBeGreaterThan(base64Uri(Buffer.alloc(maxResourceBytes)).length);
  const { file_id } = await t.client.api.upload_private_file({
    user_id: 10002,
    file_uri: base64Uri(Buffer.alloc(maxResourceBytes, 7)),
    file_name: 'at-the-limit.bin',
  });
  expect(t.world.files.describe(file_id)).toMatchObject({ size: maxResourceBytes });
  const message = await failure(
    t.client.api.upload_private_file({ user_id: 10002, file_uri: base64Uri(Buffer.alloc(maxResourceBytes + 1, 7)), file_name: 'over.bin' }),
    codes.invalidArgument,
  );
  expect(message).toBe(`file_uri: the resource is larger than the ${maxResourceBytes}-byte limit`);
});

test('a body limit without room for a base64:// resource of the resource limit is refused when the server is made', async () => {
  await expect(ReferenceServer.create({ logger: silent, bodyLimit: 16 * 1024 * 1024 })).rejects.toThrow(
    'bodyLimit (16777216) must be at least 44804780 bytes: a resource of maxResourceBytes (33554432) sent as base64:// takes 44739244',
  );
  await using fits = await ReferenceServer.create({ logger: silent, bodyLimit: 16 * 1024 * 1024, maxResourceBytes: 12_000_000 });
  expect(fits.bodyLimit).toBe(16 * 1024 * 1024);
});

test('HEAD of a resource or file link answers its type and size from what is stored, reading none of its content', async () => {
  await using t = await start();
  const image = png(24);
  const sent = await t.client.api.send_private_message({ user_id: 10002, message: [{ type: 'image', data: { uri: image.uri } }] });
  const { messages } = await t.client.api.get_history_messages({
    message_scene: 'friend',
    peer_id: 10002,
    start_message_seq: sent.message_seq,
    limit: 1,
  });
  const segment = messages[0]?.segments[0];
  if (segment?.type !== 'image') throw new Error('expected the image back');
  const { url } = await t.client.api.get_resource_temp_url({ resource_id: segment.data.resource_id });
  const content = Buffer.from('minutes of the meeting');
  const { file_id } = await t.client.api.upload_group_file({ group_id: 20002, file_uri: base64Uri(content), file_name: 'minutes.txt' });
  const { download_url } = await t.client.api.get_group_file_download_url({ group_id: 20002, file_id });

  const read = vi.spyOn(t.world.resources, 'content');
  const media = await fetch(url, { method: 'HEAD' });
  const file = await fetch(download_url, { method: 'HEAD' });
  expect(read).not.toHaveBeenCalled();
  expect([media.status, media.headers.get('content-type'), media.headers.get('content-length')]).toEqual([
    200,
    'image/png',
    String(image.bytes.length),
  ]);
  expect([file.status, file.headers.get('content-type'), file.headers.get('content-length')]).toEqual([
    200,
    'application/octet-stream',
    String(content.length),
  ]);
  expect(file.headers.get('content-disposition')).toContain('minutes.txt');
  // GET sends what HEAD described, and counts the download that HEAD did not.
  const got = await fetch(download_url);
  expect(Buffer.from(await got.arrayBuffer()).equals(content)).toBe(true);
  expect(read).toHaveBeenCalledTimes(1);
  const { files } = await t.client.api.get_group_files({ group_id: 20002 });
  expect(files.find((entry) => entry.file_id === file_id)?.downloaded_times).toBe(1);
  const missing = await fetch(url.replace(/\/media\/[^?]+/, '/media/image_none'), { method: 'HEAD' });
  expect(missing.status).toBe(403);
});
