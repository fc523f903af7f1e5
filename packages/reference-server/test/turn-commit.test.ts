// The changes of one turn of the event loop share one commit (`Transactions.commitPerTurn`): each
// in a savepoint, their events sent after the shared commit in the order of the changes, every
// answer after that commit, and closing the world commits the turn's changes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Event, retcodes } from '@milky/types';
import { afterEach, expect, test, vi } from 'vitest';
import { answeredAfterCommit, handlers } from '../src/handlers.ts';
import { demoSeed, World, worldRetcodes } from '../src/index.ts';
import { applySeed } from '../src/world/seed.ts';
import { failure, start } from './helpers.ts';

const opened: World[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const world of opened.splice(0)) world.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A demo world whose changes commit once per turn, recording the events it sends. */
async function batchedWorld(path = ':memory:') {
  const world = new World({ path });
  opened.push(world);
  if (world.created) await applySeed(world, demoSeed());
  const failures: unknown[] = [];
  world.tx.commitPerTurn((_what, error) => failures.push(error));
  const events: Event[] = [];
  world.onEvent((event) => events.push(event));
  return { world, events, failures };
}

const group = { scene: 'group', peerId: 20001 } as const;
const says = (text: string) => [{ type: 'text', data: { text } }] as const;
const texts = (events: Event[]) =>
  events.flatMap((event) =>
    event.event_type === 'message_receive'
      ? event.data.segments.flatMap((segment) => (segment.type === 'text' ? [segment.data.text] : []))
      : [],
  );

test('a failing change in the middle of a turn rolls back alone; the others commit, their events in order', async () => {
  const { world, events } = await batchedWorld();
  const before = world.messages.history('group', 20001, undefined, 1).messages[0]?.message_seq ?? 0;
  world.tx.shareTurn();
  // Alice and Bob are members of group 20001; 10009 is not, so their send fails.
  const sends = [
    world.send(10002, group, says('first')),
    world.send(10009, group, says('refused')),
    world.send(10003, group, says('third')),
  ];
  const results = await Promise.allSettled(sends);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ retcode: worldRetcodes.notFound });
  // The turn has not ended: nothing is committed yet, so nothing is sent.
  expect(events).toEqual([]);
  await world.tx.after(undefined);
  expect(texts(events)).toEqual(['first', 'third']);
  const stored = world.messages.history('group', 20001, undefined, 3).messages.filter((message) => message.message_seq > before);
  expect(stored.map((message) => [message.message_seq, message.sender_id])).toEqual([
    [before + 1, 10002],
    [before + 2, 10003],
  ]);
});

test('whoever waits for a turn is let go after its commit and its events, in the order of the changes', async () => {
  const { world, events } = await batchedWorld();
  const order: string[] = [];
  world.onEvent((event) => order.push(`event ${texts([event]).join('')}`));
  const endOuter = world.db.endOuter.bind(world.db);
  vi.spyOn(world.db, 'endOuter').mockImplementation((done) => {
    order.push('commit');
    endOuter(done);
  });
  world.tx.shareTurn();
  const answers = ['one', 'two', 'three'].map((text) =>
    world
      .send(10002, group, says(text))
      .then((result) => world.tx.after(result))
      .then(() => order.push(`answer ${text}`)),
  );
  await Promise.all(answers);
  expect(order).toEqual(['commit', 'event one', 'event two', 'event three', 'answer one', 'answer two', 'answer three']);
  expect(events).toHaveLength(3);
});

test('calls answered in a turn with an uncommitted change, failures and reads too, wait for its commit', async () => {
  const { world } = await batchedWorld();
  const api = answeredAfterCommit(world, handlers(world, { name: 'test', version: '0' }));
  const order: string[] = [];
  const endOuter = world.db.endOuter.bind(world.db);
  vi.spyOn(world.db, 'endOuter').mockImplementation((done) => {
    order.push('commit');
    endOuter(done);
  });
  // A change of this turn, not yet committed; then a call that fails and one that reads.
  world.tx.shareTurn();
  await world.send(10002, group, says('first'));
  expect(order).toEqual([]);
  const call = {} as never;
  const refused = (async () => api.get_group_info({ group_id: 29999 } as never, call))().catch((error: unknown) =>
    order.push(`failure ${(error as { retcode: number }).retcode}`),
  );
  const read = (async () => api.get_login_info({} as never, call))().then(() => order.push('answer'));
  await Promise.all([refused, read]);
  expect(order[0]).toBe('commit');
  expect(order.slice(1).sort()).toEqual(['answer', `failure ${worldRetcodes.notFound}`]);
});

test('a turn whose commit fails answers with the failure, keeps nothing and sends no event', async () => {
  const errors: string[] = [];
  await using t = await start({
    logger: { info() {}, warn() {}, error: (line, fields) => errors.push(`${line} ${JSON.stringify(fields)}`) },
  });
  const { db } = t.world;
  const endOuter = db.endOuter.bind(db);
  vi.spyOn(db, 'endOuter').mockImplementationOnce(() => {
    endOuter(false);
    throw new Error('disk I/O error');
  });
  const before = (await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20001, limit: 1 })).messages[0];
  await failure(
    t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'lost' } }] }),
    retcodes.internalError,
  );
  expect(errors.join('\n')).toContain('disk I/O error');
  const after = (await t.client.api.get_history_messages({ message_scene: 'group', peer_id: 20001, limit: 1 })).messages[0];
  expect(after?.message_seq).toBe(before?.message_seq);
  expect(t.events).toEqual([]);
  // The world goes on: the next turn commits.
  const sent = await t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text: 'kept' } }] });
  expect(sent.message_seq).toBe((before?.message_seq ?? 0) + 1);
});

test('the calls of one turn commit once, and are answered after it', async () => {
  const { world } = await batchedWorld();
  const api = answeredAfterCommit(world, handlers(world, { name: 'test', version: '0' }));
  const commits = vi.spyOn(world.db, 'endOuter');
  const call = {} as never;
  const sent = await Promise.all(
    ['a', 'b', 'c', 'd'].map(async (text) => api.send_group_message({ group_id: 20001, message: [...says(text)] } as never, call)),
  );
  expect(commits.mock.calls).toEqual([[true]]);
  const seqs = sent.map((result) => (result as { message_seq: number }).message_seq);
  expect(seqs.slice(1).map((seq, index) => seq - (seqs[index] ?? 0))).toEqual([1, 1, 1]);
  const stored = world.messages.history('group', 20001, undefined, 4).messages;
  expect(stored.map((message) => [message.message_seq, message.segments])).toEqual(
    ['a', 'b', 'c', 'd'].map((text, index) => [seqs[index], says(text)]),
  );
});

test('a change that wrote and then threw in a shared turn is rolled back alone', async () => {
  const { world } = await batchedWorld();
  const count = () => world.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM messages')?.n ?? 0;
  const before = count();
  const prepared = await world.messages.prepare(says('rolled back'), 'message');
  world.tx.shareTurn();
  await world.send(10002, group, says('kept before'));
  expect(() =>
    world.tx.change(() => {
      world.messages.send(10003, group, prepared);
      expect(count()).toBe(before + 2);
      throw new Error('after writing');
    }),
  ).toThrow('after writing');
  await world.send(10002, group, says('kept after'));
  await world.tx.after(undefined);
  expect(count()).toBe(before + 2);
  expect(world.messages.history('group', 20001, undefined, 2).messages.map((message) => message.segments)).toEqual([
    [{ type: 'text', data: { text: 'kept before' } }],
    [{ type: 'text', data: { text: 'kept after' } }],
  ]);
});

test('calls over HTTP that arrive together are answered in the order of their changes with consecutive seqs', async () => {
  await using t = await start({ reportSelfMessages: true });
  const commits = vi.spyOn(t.world.db, 'endOuter');
  const sent = await Promise.all(
    ['a', 'b', 'c', 'd'].map((text) => t.client.api.send_group_message({ group_id: 20001, message: [{ type: 'text', data: { text } }] })),
  );
  const seqs = sent.map((result) => result.message_seq);
  expect(seqs.slice(1).map((seq, index) => seq - (seqs[index] ?? 0))).toEqual([1, 1, 1]);
  const received = t.sent('message_receive');
  expect(received.map((event) => event.data.message_seq)).toEqual(seqs);
  expect(texts(received)).toEqual(['a', 'b', 'c', 'd']);
  // No more than one commit per call (how many calls share a turn is the network's doing).
  expect(commits.mock.calls.length).toBeGreaterThan(0);
  expect(commits.mock.calls.length).toBeLessThanOrEqual(4);
});

test("a listener's throw after a turn's commit is reported; the other listeners and the waiters go on", async () => {
  const { world, events, failures } = await batchedWorld();
  world.onEvent(() => {
    throw new Error('a broken listener');
  });
  const later: Event[] = [];
  world.onEvent((event) => later.push(event));
  world.tx.shareTurn();
  const result = await world.send(10002, group, says('still delivered')).then((sent) => world.tx.after(sent));
  expect(result.message_seq).toBeGreaterThan(0);
  expect(texts(events)).toEqual(['still delivered']);
  expect(texts(later)).toEqual(['still delivered']);
  expect(failures).toEqual([new Error('a broken listener')]);
});

test('a change in a turn no call marked commits at once, and sends its events at once', async () => {
  const { world, events } = await batchedWorld();
  const commits = vi.spyOn(world.db, 'endOuter');
  await world.send(10002, group, says('on its own'));
  expect(texts(events)).toEqual(['on its own']);
  expect(world.tx.after('now')).toBe('now');
  expect(commits).not.toHaveBeenCalled();
});

test('closing a world commits the changes of the turn still open, and sends their events', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'milky-turn-'));
  folders.push(folder);
  const path = join(folder, 'world.sqlite');
  const { world, events } = await batchedWorld(path);
  world.tx.shareTurn();
  const { message_seq } = await world.send(10002, group, says('just before closing'));
  expect(events).toEqual([]);
  world.close();
  opened.splice(opened.indexOf(world), 1);
  expect(texts(events)).toEqual(['just before closing']);
  const reopened = new World({ path });
  opened.push(reopened);
  expect(reopened.messages.get('group', 20001, message_seq).segments).toEqual([{ type: 'text', data: { text: 'just before closing' } }]);
});

test('calls run at the end of their turn, back to back in the order they arrived, and commit once', async () => {
  const { world } = await batchedWorld();
  const commits = vi.spyOn(world.db, 'endOuter');
  const order: string[] = [];
  const all = handlers(world, { name: 'test', version: '0' });
  const api = answeredAfterCommit(world, {
    ...all,
    send_group_message: (input, call) => {
      order.push(`ran send ${(input.message[0] as { data: { text: string } }).data.text}`);
      return all.send_group_message(input, call);
    },
    get_login_info: (input, call) => {
      order.push('ran read');
      return all.get_login_info(input, call);
    },
  });
  const call = {} as never;
  setImmediate(() => order.push('the turn ends'));
  const answers = [
    api.send_group_message({ group_id: 20001, message: [...says('a')] } as never, call),
    api.get_login_info({} as never, call),
    api.send_group_message({ group_id: 20001, message: [...says('b')] } as never, call),
  ];
  order.push('all arrived');
  const [a, , b] = (await Promise.all(answers)) as Array<{ message_seq: number }>;
  expect(order).toEqual(['all arrived', 'the turn ends', 'ran send a', 'ran read', 'ran send b']);
  expect((b?.message_seq ?? 0) - (a?.message_seq ?? 0)).toBe(1);
  expect(commits.mock.calls).toEqual([[true]]);
});

test('closing the world refuses the calls still waiting for their turn, and runs none of them', async () => {
  const { world } = await batchedWorld();
  opened.splice(opened.indexOf(world), 1);
  let ran = 0;
  const all = handlers(world, { name: 'test', version: '0' });
  const api = answeredAfterCommit(world, {
    ...all,
    send_group_message: (input, call) => {
      ran++;
      return all.send_group_message(input, call);
    },
  });
  const waiting = api.send_group_message({ group_id: 20001, message: [...says('too late')] } as never, {} as never);
  world.close();
  await expect(waiting).rejects.toThrow('the world is closed');
  await expect((async () => api.get_login_info({} as never, {} as never))()).rejects.toThrow('the world is closed');
  // The turn's end comes and goes: the refused call never runs.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(ran).toBe(0);
});
