// The world's one send path: defaults applied and resources read before the change, the sender
// checked once inside it.

import { MilkyApiError } from '@milky/types';
import { afterEach, expect, test, vi } from 'vitest';
import { demoSeed, World, worldRetcodes } from '../src/index.ts';
import { applySeed } from '../src/world/seed.ts';
import { png } from './helpers.ts';

const opened: World[] = [];

async function demoWorld(): Promise<World> {
  const world = new World({ path: ':memory:' });
  opened.push(world);
  await applySeed(world, demoSeed());
  return world;
}

afterEach(() => {
  for (const world of opened.splice(0)) world.close();
});

test("preparing a message applies the protocol's defaults to its segments", async () => {
  const world = await demoWorld();
  const prepared = await world.messages.prepare([{ type: 'image', data: { uri: png().uri } }], 'message');
  expect(prepared.segments[0]).toMatchObject({ type: 'image', data: { sub_type: 'normal' } });
});

test('a send that must read a resource is refused before reading it when its chat does not exist', async () => {
  const world = await demoWorld();
  // The file does not exist: reading it would fail with the resource's own error, naming the field.
  const sending = world.send(world.selfId, { scene: 'group', peerId: 29999 }, [
    { type: 'image', data: { uri: 'file:///nonexistent/milky-world-send.png' } },
  ]);
  const error = await sending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MilkyApiError);
  expect((error as MilkyApiError).retcode).toBe(worldRetcodes.notFound);
  expect((error as MilkyApiError).message).toContain('group 29999');
});

test("the sender's membership is read once per send, mention of everyone included", async () => {
  const world = await demoWorld();
  const member = vi.spyOn(world.store, 'member');
  const speaker = vi.spyOn(world.store, 'speaker');
  const { message_seq } = await world.send(10002, { scene: 'group', peerId: 20001 }, [
    { type: 'mention_all', data: {} },
    { type: 'text', data: { text: ' release tonight' } },
  ]);
  const reads = [...member.mock.calls, ...speaker.mock.calls].filter(([groupId, userId]) => groupId === 20001 && userId === 10002);
  expect(reads).toHaveLength(1);
  expect(world.messages.get('group', 20001, message_seq).segments[0]).toEqual({ type: 'mention_all', data: {} });
});

test('a plain member still cannot mention everyone, and nothing is stored', async () => {
  const world = await demoWorld();
  const before = world.messages.history('group', 20001, undefined, 1).messages[0]?.message_seq;
  await expect(world.send(10003, { scene: 'group', peerId: 20001 }, [{ type: 'mention_all', data: {} }])).rejects.toMatchObject({
    retcode: worldRetcodes.permissionDenied,
  });
  expect(world.messages.history('group', 20001, undefined, 1).messages[0]?.message_seq).toBe(before);
});

test('a mention names the member by card, else nickname; a user outside the group or unknown is refused by field', async () => {
  const world = await demoWorld();
  const group = { scene: 'group', peerId: 20001 } as const;
  const mention = (user_id: number) => ({ type: 'mention', data: { user_id } }) as const;
  const { message_seq } = await world.send(world.selfId, group, [mention(10002), mention(10004)]);
  expect(world.messages.get('group', 20001, message_seq).segments).toEqual([
    { type: 'mention', data: { user_id: 10002, name: 'Alice | maintainer' } },
    { type: 'mention', data: { user_id: 10004, name: '小红' } },
  ]);
  // In a friend chat, the nickname.
  const friend = await world.send(world.selfId, { scene: 'friend', peerId: 10002 }, [mention(10004)]);
  expect(world.messages.get('friend', 10002, friend.message_seq).segments).toEqual([
    { type: 'mention', data: { user_id: 10004, name: '小红' } },
  ]);
  await expect(world.send(world.selfId, group, [mention(10005)])).rejects.toThrow(
    'message[0].data.user_id: 10005 is not a member of group 20001',
  );
  await expect(world.send(world.selfId, group, [mention(10001), mention(99999)])).rejects.toThrow('message[1].data.user_id: no user 99999');
});

test("a reply quotes the target's sender by card in a group, and a sender outside the group is refused", async () => {
  const world = await demoWorld();
  const group = { scene: 'group', peerId: 20001 } as const;
  const quoted = await world.send(10003, group, [{ type: 'text', data: { text: 'question' } }]);
  const { message_seq } = await world.send(world.selfId, group, [
    { type: 'reply', data: { message_seq: quoted.message_seq } },
    { type: 'text', data: { text: 'answer' } },
  ]);
  expect(world.messages.get('group', 20001, message_seq).segments[0]).toMatchObject({
    type: 'reply',
    data: { message_seq: quoted.message_seq, sender_id: 10003, sender_name: 'Bob' },
  });
  await expect(world.send(10005, group, [{ type: 'text', data: { text: 'hi' } }])).rejects.toThrow('10005 is not a member of group 20001');
});
