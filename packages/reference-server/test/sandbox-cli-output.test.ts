// What milky-sandbox prints for people: transcripts, tables, the live watch, and say
// --expect-reply, which waits (bounded) for the bot's answer.

import type { IncomingMessage } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { runSandboxCli } from '../src/sandbox/cli.ts';
import { displayWidth, fit, presentChat, presentStreamItem, table } from '../src/sandbox/present.ts';
import { start } from './helpers.ts';

async function sandboxCli(argv: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal, onErr?: (text: string) => void) {
  let out = '';
  let err = '';
  const code = await runSandboxCli(
    argv,
    env,
    {
      out: (text) => (out += text),
      err: (text) => {
        err += text;
        onErr?.(text);
      },
      width: 60,
    },
    signal,
  );
  return { code, out, err };
}

const plain = { color: false, width: 40, timeZone: 'UTC' };

function message(seq: number, sender: number, text: string, time: number): IncomingMessage {
  return {
    message_scene: 'group',
    peer_id: 20001,
    message_seq: seq,
    sender_id: sender,
    time,
    segments: [{ type: 'text', data: { text } }],
  } as unknown as IncomingMessage;
}

describe('the formatters', () => {
  test('a transcript is grouped by day, in order of time, the bot marked', () => {
    const names = new Map([
      [10001, 'Milky Bot'],
      [10002, 'Alice'],
    ]);
    const late = Date.UTC(2026, 10, 30, 23, 49) / 1000;
    const early = Date.UTC(2026, 11, 1, 2, 51) / 1000;
    const text = presentChat([message(2, 10001, 'pong', early), message(1, 10002, 'ping', late)], names, 10001, plain);
    expect(text).toBe('── 2026-11-30 Mon ──\n23:49 #1 Alice: ping\n── 2026-12-01 Tue ──\n02:51 #2 Milky Bot (bot): pong\n');
  });

  test('lines fit the width, wide characters counting twice, and control characters are not passed on', () => {
    expect(displayWidth('老王 ok')).toBe(7);
    expect(fit('老王老王老王', 7)).toBe('老王老…');
    const names = new Map([[10002, 'Eve\u001b[2J']]);
    const line = presentStreamItem({ kind: 'message', message: message(1, 10002, 'x'.repeat(100), 0) }, names, 10001, plain);
    expect(line).not.toContain('\u001b');
    expect(displayWidth(line ?? '')).toBe(40);
    expect(line).toMatch(/^00:00:00 \[group 20001\] Eve\ufffd\[2J: x+…$/);
  });

  test('colours only when asked', () => {
    const rows = [['10002', 'Alice']];
    expect(table(['QQ', 'NAME'], rows, plain)).toBe('QQ     NAME\n10002  Alice\n');
    expect(table(['QQ', 'NAME'], rows, { ...plain, color: true })).toContain('\u001b[1mQQ     NAME\u001b[0m');
  });
});

describe('milky-sandbox for people', () => {
  test('say prints the message as a transcript line, world as tables, messages as a transcript', async () => {
    await using t = await start({ controlToken: 'ctl' });
    const env = { MILKY_SANDBOX_URL: t.server.world.links.origin, MILKY_CONTROL_TOKEN: 'ctl' };
    const said = await sandboxCli(['as', '10002', 'say', 'hello', '--group', '20001'], env);
    expect(said).toMatchObject({ code: 0, err: '' });
    expect(said.out).toMatch(/^── \d{4}-\d{2}-\d{2} \w{3} ──\n\d{2}:\d{2} #\d+ Alice: hello\n$/);
    const world = await sandboxCli(['world'], env);
    expect(world.out).toMatch(/^QQ +NICKNAME +FRIEND\n10001 +Milky Bot +\(the bot\)\n10002 +Alice +yes\n/);
    expect(world.out).toMatch(/\nGROUP +NAME +MEMBERS +MUTED\n20001 +Milky 开发者 +\d+/);
    expect(world.out).toMatch(/Milky 开发者 \(20001\)\nQQ +NAME +ROLE +CARD +MUTED\n/);
    const history = await sandboxCli(['messages', 'group', '20001', '--limit', '2'], env);
    expect(history.out).toMatch(/Alice: hello\n$/);
  });

  test('say --expect-reply prints the bot’s answer, and fails when none comes in time', async () => {
    await using t = await start({ controlToken: 'ctl' });
    const env = { MILKY_SANDBOX_URL: t.server.world.links.origin, MILKY_CONTROL_TOKEN: 'ctl' };
    const silence = await sandboxCli(['as', '10002', 'say', 'ping', '--expect-reply', '--reply-timeout', '30'], env);
    expect(silence.code).toBe(1);
    expect(silence.err).toBe('milky-sandbox: no reply from the bot in that chat within 30 ms\n');
    expect(silence.out).toMatch(/Alice: ping\n$/);

    t.client.on('message_receive', (event) => {
      if (event.data.sender_id !== event.self_id) void t.client.reply(event, 'pong', { quote: false });
    });
    await t.client.connect();
    const answered = await sandboxCli(['as', '10002', 'say', 'ping', '--expect-reply'], env);
    expect(answered).toMatchObject({ code: 0, err: '' });
    expect(answered.out).toMatch(/Alice: ping\n\d{2}:\d{2} #\d+ Milky Bot \(bot\): pong\n$/);
    const json = await sandboxCli(['--json', 'as', '10002', 'say', 'ping', '--expect-reply'], env);
    expect(JSON.parse(json.out)).toMatchObject({ message_seq: expect.any(Number), reply: { sender_id: 10001 } });
    await t.client.disconnect();
    await expect(sandboxCli(['as', '10002', 'nudge', '--expect-reply'], env)).resolves.toMatchObject({ code: 2 });
  });

  test('watch prints one readable line per message and event', async () => {
    await using t = await start({ controlToken: 'ctl' });
    const env = { MILKY_SANDBOX_URL: t.server.world.links.origin, MILKY_CONTROL_TOKEN: 'ctl' };
    const abort = new AbortController();
    let watching: () => void = () => {};
    const open = new Promise<void>((resolve) => {
      watching = resolve;
    });
    const run = sandboxCli(['watch'], env, abort.signal, (text) => {
      if (text.includes('watching')) watching();
    });
    await open;
    await sandboxCli(['as', '10002', 'nudge', '--group', '20001'], env);
    await sandboxCli(['as', '10002', 'say', 'hi all', '--group', '20001'], env);
    abort.abort();
    const { out } = await run;
    // The output is 60 columns wide: the event's line is cut to fit.
    expect(out).toMatch(/^\d{2}:\d{2}:\d{2} group_nudge group_id=20001 sender_id=10002 receive…\n/);
    expect(out).toMatch(/\n\d{2}:\d{2}:\d{2} \[group Milky 开发者 \(20001\)\] Alice: hi all\n$/);
  });
});
