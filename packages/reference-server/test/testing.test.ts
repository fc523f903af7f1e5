// The test kit for bots: handles, bounded expectations, failure messages quoting the chat, and a
// run under node:test.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MilkyClient } from '@milky/client';
import { messageText, startTestWorld } from '@milky/reference-server/testing';
import { expect, test } from 'vitest';

/** The error an expectation fails with; it must fail. */
async function failureOf(expectation: Promise<unknown>): Promise<Error> {
  const outcome = await expectation.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('the expectation was met');
  return outcome;
}

test('a reply that never comes fails after the timeout, quoting the chat so far', async () => {
  await using world = await startTestWorld({ timeout: 50 });
  const alice = world.person(10002);
  await alice.say('ping');
  await alice.say([
    { type: 'text', data: { text: 'hello ' } },
    { type: 'mention', data: { user_id: 10003 } },
  ]);
  const failure = await failureOf(alice.expectReply(/pong/));
  expect(failure.message).toMatch(/^no reply from the bot in the friend chat with Alice \(10002\) matching \/pong\/ within 50 ms\n/);
  expect(failure.message).toMatch(/chat so far:\n {2}#\d+ Alice: ping\n {2}#\d+ Alice: hello @Bob$/);
});

test('an expectation takes its own timeout over the world one', async () => {
  await using world = await startTestWorld({ timeout: 60_000 });
  const failure = await failureOf(world.group(20001).expectReply('anything', { timeout: 20 }));
  expect(failure.message).toMatch(/^no reply from the bot in group Milky 开发者 \(20001\) containing "anything" within 20 ms\n/);
});

test('each reply is taken once, in order, and only from its own chat', async () => {
  await using world = await startTestWorld({ timeout: 100 });
  await using bot = new MilkyClient({ baseUrl: world.url, accessToken: world.accessToken });
  await bot.connect();
  await bot.api.send_private_message({ user_id: 10003, message: [{ type: 'text', data: { text: 'to bob' } }] });
  await bot.api.send_private_message({ user_id: 10002, message: [{ type: 'text', data: { text: 'one' } }] });
  await bot.api.send_private_message({ user_id: 10002, message: [{ type: 'text', data: { text: 'two' } }] });
  const alice = world.person(10002);
  expect((await alice.expectReply()).segments).toEqual([{ type: 'text', data: { text: 'one' } }]);
  expect((await alice.expectReply()).segments).toEqual([{ type: 'text', data: { text: 'two' } }]);
  await expect(alice.expectReply()).rejects.toThrow(/chat so far:\n.*Milky Bot: one\n.*Milky Bot: two$/);
});

test('expectEvent waits for an event the bot gets, with a test of it', async () => {
  await using world = await startTestWorld();
  const waiting = world.expectEvent('group_nudge', (event) => event.data.sender_id === 10003);
  await world.group(20001).member(10002).nudge();
  await world.group(20001).member(10003).nudge(world.bot);
  const event = await waiting;
  expect(event.data).toMatchObject({ group_id: 20001, sender_id: 10003, receiver_id: 10001 });
  const failure = await failureOf(world.expectEvent('group_nudge', (event) => event.data.sender_id === 10003, { timeout: 20 }));
  expect(failure.message).toMatch(/^no group_nudge event passing .* within 20 ms\nevents so far:\n {2}group_nudge\n {2}group_nudge$/);
});

test('the records are bounded in count, a transcript says how many went, and the drops are logged', async () => {
  // Each line Alice says is two records: the stored message, and the bot's message_receive event.
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
  await using world = await startTestWorld({ recordLimit: 4, logger });
  const alice = world.person(10002);
  for (const text of ['a', 'b', 'c']) await alice.say(text);
  await world.expectEvent(
    'message_receive',
    (event) => event.data.segments[0]?.type === 'text' && event.data.segments[0].data.text === 'c',
  );
  expect(world.chat('friend', 10002)).toHaveLength(2);
  expect(await alice.transcript()).toMatch(/^ {2}\(2 earlier messages and events no longer kept\)\n.*Alice: b\n.*Alice: c$/);
  expect(warnings.filter((warning) => warning.startsWith("the test world's record is full"))).toEqual([
    "the test world's record is full: the 1 oldest messages and events are no longer kept",
    "the test world's record is full: the 2 oldest messages and events are no longer kept",
  ]);
});

test('the records are bounded in bytes too', async () => {
  // Each long line makes two records of a little over 20 000 bytes (its message and its event):
  // only the last long line's fit. The short line after it is there to wait on, as the stream
  // carries everything in order.
  await using world = await startTestWorld({ recordBytes: 50_000 });
  const alice = world.person(10002);
  for (const text of ['a', 'x'.repeat(20_000), 'y'.repeat(20_000), 'z']) await alice.say(text);
  await world.expectEvent(
    'message_receive',
    (event) => event.data.segments[0]?.type === 'text' && event.data.segments[0].data.text === 'z',
  );
  const long = world
    .chat('friend', 10002)
    .map((message) => messageText(message))
    .filter((text) => text.length > 1);
  expect(long).toEqual(['y'.repeat(20_000)]);
});

test('the example bot passes its tests under node:test', async () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const fromSource = new URL('../../../scripts/run-from-src.mjs', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', fromSource, '--test', '--test-reporter=tap', 'examples/echo-bot/bot.node-test.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(output).toMatch(/^# pass 3$/m);
  expect(output).toMatch(/^# fail 0$/m);
  expect(code, output).toBe(0);
});
