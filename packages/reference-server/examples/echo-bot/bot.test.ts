// The example bot's tests under vitest, written with the test kit.

import { startTestWorld, type TestWorld } from '@milky/reference-server/testing';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { helpText, startEchoBot } from './bot.ts';

let world: TestWorld;
let stopBot: () => Promise<void>;

beforeEach(async () => {
  world = await startTestWorld();
  const bot = await startEchoBot(world.url, world.accessToken);
  stopBot = () => bot.disconnect();
});

afterEach(async () => {
  await stopBot();
  await world.close();
});

test('a friend says ping and gets pong', async () => {
  const alice = world.person(10002);
  await alice.say('ping');
  const reply = await alice.expectReply(/pong/);
  expect(reply.sender_id).toBe(10001);
});

test('echo repeats the rest', async () => {
  const bob = world.person(10003);
  await bob.say('echo hello there');
  await bob.expectReply('hello there');
});

test('a mention asking for help in a group gets the help text', async () => {
  const group = world.group(20001);
  await group.member(10003).mention(world.bot, 'help');
  await group.expectReply(helpText);
});

test('the bot keeps quiet in a group when not mentioned', async () => {
  const group = world.group(20001);
  await group.member(10003).say('ping');
  await group.member(10003).mention(world.bot, 'ping');
  // The first reply is the one to the mention: nothing answered the plain "ping".
  const reply = await group.expectReply();
  expect(reply.segments).toEqual([{ type: 'text', data: { text: 'pong' } }]);
  expect(world.chat('group', 20001).filter((message) => message.sender_id === 10001)).toHaveLength(1);
});
