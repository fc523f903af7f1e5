// What a hostile app or sandbox client can try against the reference server, each bounded: the
// attacker is refused or dropped, and a well-behaved app is still served meanwhile. Timeouts and
// bounds are small here so that every attack ends within moments.

import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MilkyClient } from '@milky/client';
import type { OutgoingSegment } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient } from '../src/index.ts';
import { codes, failure, start, token } from './helpers.ts';

const controlToken = 'abuse-control-token';
const text = (size: number): OutgoingSegment[] => [{ type: 'text', data: { text: 'x'.repeat(size) } }];

/** The app a hostile client must not lock out. */
async function served(client: MilkyClient): Promise<void> {
  expect((await client.api.get_login_info()).uin).toBe(10001);
}

async function connect(url: string, send = ''): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => {});
  socket.resume(); // reads whatever comes, so that the end of the connection is seen
  await once(socket, 'connect');
  if (send) socket.write(send);
  return socket;
}

const closed = (socket: net.Socket) => (socket.destroyed ? Promise.resolve() : once(socket, 'close'));

describe('messages and answers', () => {
  test('a message over maxMessageBytes is refused with -400 naming the field and the limit, from the bot and the sandbox alike', async () => {
    await using t = await start({ controlToken });
    const limit = t.world.options.maxMessageBytes;
    const message = await failure(t.client.api.send_group_message({ group_id: 20001, message: text(limit + 1) }), -400);
    expect(message).toContain('message: the message is');
    expect(message).toContain(`more than the ${limit}-byte limit of a message (maxMessageBytes)`);
    const sandbox = new SandboxClient({ url: t.server.world.links.origin, token: controlToken });
    await failure(sandbox.as(10002).say({ message: text(limit + 1) }), -400);
    await served(t.client);
    // Just under the limit goes through, and is an event every reading client takes.
    await using listener = new MilkyClient({ baseUrl: t.url, accessToken: token });
    const arrived = once(listener as never, 'message_receive');
    await listener.connect({ transport: 'websocket' });
    await sandbox.as(10002).say({ message: text(limit - 200) });
    await arrived;
    expect(t.server.milky.metrics().dropped.websocket.slow).toBe(0);
  });

  test('an event over maxEventBytes is not sent, but counted and logged once, naming the limit', async () => {
    const errors: string[] = [];
    await using t = await start({
      maxEventBytes: 1024,
      maxMessageBytes: 4096,
      logger: { info() {}, warn() {}, error: (line) => errors.push(line) },
    });
    await t.world.send(10002, { scene: 'friend', peerId: 10002 }, text(2000));
    expect(t.server.milky.metrics().refusedEvents).toEqual({ message_receive: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('more than the 1024-byte limit (maxEventBytes)');
    await served(t.client);
  });

  test('a history page stops at maxHistoryBytes, and paging goes on from there', async () => {
    await using t = await start({ maxHistoryBytes: 4000 });
    for (let n = 0; n < 10; n++) await t.client.api.send_private_message({ user_id: 10002, message: text(1000) });
    const all: number[] = [];
    let from: number | undefined;
    let pages = 0;
    do {
      const page = await t.client.api.get_history_messages({
        message_scene: 'friend',
        peer_id: 10002,
        limit: 30,
        ...(from === undefined ? {} : { start_message_seq: from }),
      });
      expect(Buffer.byteLength(JSON.stringify(page.messages))).toBeLessThan(4000 + 1200);
      all.unshift(...page.messages.map((message) => message.message_seq));
      from = page.next_message_seq ?? undefined;
      pages++;
    } while (from !== undefined);
    expect(pages).toBeGreaterThan(2);
    expect(all.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => (all.at(-10) as number) + i));
    expect(new Set(all).size).toBe(all.length);
  });

  test('file:// reads only inside fileRoot, symbolic links resolved', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'milky-root-'));
    try {
      const root = join(folder, 'root');
      mkdirSync(root);
      writeFileSync(join(root, 'inside.txt'), 'inside');
      writeFileSync(join(folder, 'secret.txt'), 'secret');
      symlinkSync(join(folder, 'secret.txt'), join(root, 'link.txt'));
      await using t = await start({ fileRoot: root });
      const upload = (path: string) =>
        t.client.api.upload_group_file({ group_id: 20002, file_uri: pathToFileURL(path).href, file_name: 'f.txt' });
      await upload(join(root, 'inside.txt'));
      for (const path of [join(folder, 'secret.txt'), join(root, 'link.txt'), join(root, '..', 'secret.txt'), join(folder, 'missing')]) {
        expect(await failure(upload(path), codes.invalidArgument)).toContain('inside the folder the server reads from (fileRoot)');
      }
      await expect(start({ fileRoot: join(folder, 'missing') })).rejects.toThrow('fileRoot: no folder at');
      await expect(start({ idleTimeout: 1000, sandboxKeepAliveInterval: 1000 })).rejects.toThrow(
        'sandboxKeepAliveInterval (1000) must be shorter than idleTimeout (1000)',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

test('downloads being sent are bounded in bytes: past the bound, 503 with Retry-After; one is always let through', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'milky-download-'));
  try {
    // Larger than what loopback sockets buffer, so that a download nobody reads stays in progress.
    const size = 24 * 1024 * 1024;
    writeFileSync(join(folder, 'big.bin'), Buffer.alloc(size, 7));
    await using t = await start({ downloadBufferLimit: size + size / 4 });
    const { file_id } = await t.client.api.upload_group_file({
      group_id: 20002,
      file_uri: pathToFileURL(join(folder, 'big.bin')).href,
      file_name: 'big.bin',
    });
    const { download_url } = await t.client.api.get_group_file_download_url({ group_id: 20002, file_id });
    const first = await new Promise<http.IncomingMessage>((resolve) => http.get(download_url, resolve));
    first.pause();
    const second = await fetch(download_url);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.text()).toContain('(downloadBufferLimit)');
    await served(t.client);
    let received = 0;
    for await (const chunk of first) received += (chunk as Buffer).length;
    expect(received).toBe(size);
    const third = await fetch(download_url);
    expect(third.status).toBe(200);
    expect((await third.arrayBuffer()).byteLength).toBe(size);
    const { files } = await t.client.api.get_group_files({ group_id: 20002 });
    expect(files.find((file) => file.file_id === file_id)?.downloaded_times).toBe(2);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('connections', () => {
  const quick = {
    headersTimeout: 300,
    requestTimeout: 600,
    keepAliveTimeout: 200,
    idleTimeout: 1000,
    sseKeepAliveInterval: 100,
    sandboxKeepAliveInterval: 100,
  };

  test('idle and half-sent connections are closed, on the port the sandbox and the links share', async () => {
    await using t = await start({ controlToken, ...quick });
    const origin = t.server.world.links.origin;
    const idle = await Promise.all(Array.from({ length: 30 }, () => connect(origin)));
    const half = await Promise.all(Array.from({ length: 10 }, () => connect(origin, 'POST /control/say HTTP/1.1\r\nHost: x\r\n')));
    await served(t.client);
    await Promise.all([...idle, ...half].map(closed));
    await served(t.client);
  });

  test('over the connection cap, connections are refused and logged; apps are served once the idle ones are reaped', async () => {
    const warnings: string[] = [];
    // Holders live for a second: long enough for the one over the cap to come while they are all there.
    await using t = await start({
      ...quick,
      headersTimeout: 1000,
      requestTimeout: 2000,
      idleTimeout: 3000,
      maxConnections: 3,
      logger: { info() {}, warn: (line) => warnings.push(line), error() {} },
    });
    const holders = await Promise.all(Array.from({ length: 3 }, () => connect(t.url)));
    await closed(await connect(t.url));
    expect(warnings).toContain('connection refused: the server is at its connection limit');
    await Promise.all(holders.map(closed));
    await served(t.client);
  });

  test('the control API answers 413 to a declared length over its limit without reading the body', async () => {
    await using t = await start({ controlToken, ...quick });
    const { port } = new URL(t.server.world.links.origin);
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/control/say',
        headers: { authorization: `Bearer ${controlToken}`, 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 },
      });
      request.on('response', resolve);
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer.statusCode).toBe(413);
    answer.resume();
    answer.socket.destroy();
    await served(t.client);
  });

  test('a sandbox stream watcher that stops reading is let go; the server keeps serving past its keep-alives', async () => {
    const warnings: string[] = [];
    await using t = await start({
      controlToken,
      sandboxKeepAliveInterval: 10,
      sandboxBufferLimit: 32 * 1024,
      logger: { info() {}, warn: (line) => warnings.push(line), error() {} },
    });
    const origin = t.server.world.links.origin;
    const open = () =>
      new Promise<http.IncomingMessage>((resolve) => {
        http.get(`${origin}/control/stream`, { headers: { authorization: `Bearer ${controlToken}` } }, resolve);
      });
    const stalled = await open();
    stalled.pause();
    const sandbox = new SandboxClient({ url: origin, token: controlToken });
    for (let i = 0; i < 2000 && !warnings.includes('a sandbox stream fell behind and was closed'); i++) {
      await sandbox.as(10002).say({ message: text(8 * 1024) });
    }
    expect(warnings).toContain('a sandbox stream fell behind and was closed');
    // Keep-alives go on for a watcher that reads; none is written to the one let go.
    const reading = await open();
    reading.setEncoding('utf8');
    let seen = '';
    for await (const chunk of reading) {
      seen += chunk;
      if (seen.split(': keep-alive').length > 3) break;
    }
    reading.destroy();
    stalled.destroy();
    await served(t.client);
  });
});
