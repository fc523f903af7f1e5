// What a resource or file costs to send and to fetch: a request body has room for the largest
// resource the world accepts, sent as base64://, and HEAD of a download link reads no content.

import { expect, test, vi } from 'vitest';
import { ReferenceServer } from '../src/index.ts';
import { base64Uri, codes, failure, png, silent, start } from './helpers.ts';

test('a base64:// resource at the resource limit is accepted; one byte over is refused naming the field and the limit', async () => {
  // One byte over is a multiple of three, which base64 encodes without padding: the length of the
  // text alone cannot tell it from a resource at the limit.
  const maxResourceBytes = 1024 * 1024 + 1;
  await using t = await start({ maxResourceBytes });
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

test('the body limit has room for a base64:// resource of the resource limit: by default, and a smaller one is refused at start', async () => {
  // The call that uploads the largest file the default world accepts (32 MiB), as JSON (base64 needs no escaping in it): it
  // must not be answered 413.
  await using server = await ReferenceServer.create({ logger: silent, seed: 'empty' });
  const uri = `base64://${'A'.repeat(4 * Math.ceil(server.world.options.maxResourceBytes / 3))}`;
  const call = { user_id: 10002, file_uri: '', file_name: 'a-long-file-name.bin' };
  expect(server.bodyLimit).toBeGreaterThanOrEqual(JSON.stringify(call).length + uri.length);
  // Without that room, a server would answer 413 to a resource its world accepts: it is not made.
  await expect(
    ReferenceServer.create({ logger: silent, seed: 'empty', bodyLimit: 1024 * 1024, maxResourceBytes: 1024 * 1024 }),
  ).rejects.toThrow(
    'bodyLimit (1048576) must be at least 1463640 bytes: a resource of maxResourceBytes (1048576) sent as base64:// takes 1398104',
  );
  await using fits = await ReferenceServer.create({
    logger: silent,
    seed: 'empty',
    bodyLimit: 16 * 1024 * 1024,
    maxResourceBytes: 12_000_000,
  });
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
