// The example bot's tests under node:test, written with the test kit:
// `node --test examples/echo-bot/bot.node-test.ts` (after a build).

import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { startTestWorld, type TestWorld } from '@milky/reference-server/testing';
import { startEchoBot } from './bot.ts';

let world: TestWorld;
let stopBot: () => Promise<void>;

before(async () => {
  world = await startTestWorld();
  const bot = await startEchoBot(world.url, world.accessToken);
  stopBot = () => bot.disconnect();
});

after(async () => {
  await stopBot();
  await world.close();
});

test('a friend says ping and gets pong', async () => {
  const alice = world.person(10002);
  await alice.say('ping');
  const reply = await alice.expectReply(/pong/);
  assert.equal(reply.sender_id, world.bot.userId);
});

test('a member mentions the bot with echo in a group', async () => {
  const group = world.group(20001);
  await group.member(10003).mention(world.bot, 'echo hi all');
  await group.expectReply('hi all');
});

test('the new member event reaches the bot', async () => {
  await world.sandbox.as(10009).join({ group_id: 20001 });
  const event = await world.expectEvent('group_member_increase', (increase) => increase.data.user_id === 10009);
  assert.equal(event.data.group_id, 20001);
});
