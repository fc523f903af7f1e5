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
  const { message_seq } = await world.send(10002, { scene: 'group', peerId: 20001 }, [
    { type: 'mention_all', data: {} },
    { type: 'text', data: { text: ' release tonight' } },
  ]);
  const reads = member.mock.calls.filter(([groupId, userId]) => groupId === 20001 && userId === 10002);
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
