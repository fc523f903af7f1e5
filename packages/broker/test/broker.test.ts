// Three reference servers whose bots share a group, one gateway, workers: the whole path through a
// real Redis.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MilkyClient } from '@milky/client';
import { MilkyServer } from '@milky/server';
import type { Event } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { Calls, type Context, Gateway, Keys, readStatus, Worker } from '../src/index.ts';
import { bob, connect, freshPrefix, redisUrl, type Side, say, sharedGroup, sides, silent, token, when } from './helpers.ts';

interface Handled {
  readonly entryId: string;
  readonly account: number;
  readonly accounts: readonly number[];
  readonly event: Event;
  readonly worker: string;
}

function gatewayFor(worlds: readonly Side[], prefix: string, options: Partial<ConstructorParameters<typeof Gateway>[0]> = {}) {
  return new Gateway({
    redis: redisUrl(),
    accounts: worlds.map((side) => side.account),
    prefix,
    logger: silent,
    reconnect: { baseDelay: 10, maxDelay: 50 },
    ...options,
  });
}

/** Workers of one group recording what they handle; `until(n)` resolves once n entries were handled. */
function recorder() {
  const handled: Handled[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  return {
    handled,
    handler: (worker: string, extra?: (event: Event, context: Context) => unknown) => async (event: Event, context: Context) => {
      await extra?.(event, context);
      handled.push({ entryId: context.entryId, account: context.account, accounts: context.accounts, event, worker });
      for (const waiter of waiters) if (handled.length >= waiter.count) waiter.resolve();
    },
    until(count: number): Promise<void> {
      if (handled.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** Resolves once the gateway has appended `count` events (from now on). */
function appended(gateway: Gateway, count: number): Promise<void> {
  let seen = 0;
  const { done, poke } = when(() => seen >= count);
  gateway.on('appended', () => {
    seen++;
    poke();
  });
  return done;
}

/** Makes events of several types in a world: group messages, a nudge, a rename. */
async function stir(side: Side, round: number): Promise<number> {
  const before = side.sent.length;
  await say(side, `hello ${round}`);
  await say(side, `again ${round}`);
  side.server.world.groups.nudge(bob, sharedGroup, side.uin);
  return side.sent.length - before;
}

describe('gateway and workers', () => {
  test('three protocol sides, one gateway, two workers: every event is handled exactly once, with its account', async () => {
    await using worlds = await sides(3);
    const prefix = freshPrefix();
    await using gateway = gatewayFor(worlds, prefix);
    await gateway.start();
    const record = recorder();
    await using first = new Worker({ redis: redisUrl(), group: 'bots', prefix, handler: record.handler('first'), logger: silent });
    await using second = new Worker({ redis: redisUrl(), group: 'bots', prefix, handler: record.handler('second'), logger: silent });
    await first.start();
    await second.start();
    let made = 0;
    for (let round = 0; round < 10; round++) for (const side of worlds) made += await stir(side, round);
    expect(made).toBeGreaterThanOrEqual(60);
    await record.until(made);
    const ids = record.handled.map((item) => item.entryId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(made);
    for (const side of worlds) {
      const mine = record.handled.filter((item) => item.account === side.uin).map((item) => item.event);
      expect(mine).toEqual(
        expect.arrayContaining(side.sent.map((event) => expect.objectContaining({ event_type: event.event_type, time: event.time }))),
      );
      expect(mine).toHaveLength(side.sent.length);
      expect(mine.every((event) => event.self_id === side.uin)).toBe(true);
    }
    const redis = connect();
    try {
      const status = await readStatus(redis, prefix);
      expect(status.accounts.map((account) => [account.uin, account.connected])).toEqual(worlds.map((side) => [side.uin, true]));
      expect(status.groups).toEqual([expect.objectContaining({ group: 'bots', consumers: 2, pending: 0, lag: 0, deadLetters: 0 })]);
      const keys = new Keys(prefix);
      for (const side of worlds) expect(await redis.xlen(keys.account(side.uin))).toBe(side.sent.length);
      expect(await redis.xlen(keys.combined)).toBe(made);
    } finally {
      redis.disconnect();
    }
  });

  test('a worker killed with SIGKILL mid-stream: its pending events are handled by the other', async () => {
    await using worlds = await sides(1);
    const prefix = freshPrefix();
    await using gateway = gatewayFor(worlds, prefix);
    await gateway.start();
    const script = fileURLToPath(new URL('./fixtures/stuck-worker.ts', import.meta.url));
    const child = spawn(process.execPath, [script, redisUrl(), prefix, 'bots'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const held = new Set<string>();
    const { done: ready, poke: pokeReady } = when(() => held.has('ready'));
    const { done: holding, poke } = when(() => held.size >= 6);
    lines.on('line', (line) => {
      held.add(line);
      pokeReady();
      poke();
    });
    try {
      await ready;
      const sent = worlds[0] as Side;
      for (let i = 0; i < 5; i++) await say(sent, `message ${i}`);
      await holding; // 'ready' and the five entries, each being handled and never finished
      child.kill('SIGKILL');
      await once(child, 'exit');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const stuck = [...held].filter((line) => line !== 'ready');
    const record = recorder();
    await using survivor = new Worker({
      redis: redisUrl(),
      group: 'bots',
      prefix,
      handler: record.handler('survivor'),
      claimIdle: 200,
      logger: silent,
    });
    await survivor.start();
    await record.until(5);
    expect(record.handled.map((item) => item.entryId).sort()).toEqual(stuck.sort());
    expect(survivor.metrics.get('milky_broker_claimed_total')).toBe(5);
    const redis = connect();
    try {
      expect((await readStatus(redis, prefix)).groups[0]).toMatchObject({ pending: 0, lag: 0 });
    } finally {
      redis.disconnect();
    }
  });

  test('a gateway restarted: what the servers sent while it was away is replayed, and none is lost or doubled', async () => {
    await using worlds = await sides(3);
    const prefix = freshPrefix();
    const record = recorder();
    await using worker = new Worker({ redis: redisUrl(), group: 'bots', prefix, handler: record.handler('w'), logger: silent });
    await worker.start();
    const before = gatewayFor(worlds, prefix);
    await before.start();
    let made = 0;
    for (const side of worlds) made += await stir(side, 0);
    await record.until(made);
    await before.stop();
    for (const side of worlds) made += await stir(side, 1);
    await using after = gatewayFor(worlds, prefix);
    await after.start();
    await record.until(made);
    for (const side of worlds) made += await stir(side, 2);
    await record.until(made);
    expect(record.handled).toHaveLength(made);
    for (const side of worlds) {
      const times = record.handled.filter((item) => item.account === side.uin).map((item) => `${item.event.event_type}@${item.event.time}`);
      expect(times.sort()).toEqual(side.sent.map((event) => `${event.event_type}@${event.time}`).sort());
    }
    expect(after.accounts.map((account) => account.lost)).toEqual([0, 0, 0]);
  });

  test('a gateway restarted past what a server keeps: the events it cannot replay are counted as lost', async () => {
    await using server = new MilkyServer({ accessToken: token, port: 0, sseReplay: 2, logger: silent });
    server.handle('get_login_info', () => ({ uin: 40001, nickname: 'bot' }));
    const { port } = await server.listen();
    const account = { url: `http://127.0.0.1:${port}`, token };
    const offline = (n: number): Event => ({ time: 1763900000 + n, self_id: 40001, event_type: 'bot_offline', data: { reason: `#${n}` } });
    const prefix = freshPrefix();
    const before = new Gateway({ redis: redisUrl(), accounts: [account], prefix, logger: silent });
    const first = appended(before, 1);
    await before.start();
    server.emit(offline(1));
    await first;
    await before.stop();
    for (let n = 2; n <= 6; n++) server.emit(offline(n));
    await using after = new Gateway({ redis: redisUrl(), accounts: [account], prefix, logger: silent });
    const replayed = appended(after, 2);
    await after.start();
    await replayed;
    expect(after.accounts[0]?.lost).toBe(3);
    expect(after.metrics.text()).toContain('milky_broker_events_lost_total{account="40001"} 3');
    const redis = connect();
    try {
      const entries = await redis.xrange(new Keys(prefix).account(40001), '-', '+');
      expect(entries.map(([, fields]) => (JSON.parse(fields[fields.indexOf('event') + 1] as string) as Event).time - 1763900000)).toEqual([
        1, 5, 6,
      ]);
      expect((await readStatus(redis, prefix)).accounts[0]).toMatchObject({ uin: 40001, lost: 3 });
    } finally {
      redis.disconnect();
    }
  });
});

describe('over WebSocket', () => {
  test('a restarted gateway cannot resume: the gap is counted as of unknown size', async () => {
    await using server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
    server.handle('get_login_info', () => ({ uin: 40003, nickname: 'bot' }));
    const { port } = await server.listen();
    const account = { url: `http://127.0.0.1:${port}`, token, transport: 'websocket' } as const;
    const prefix = freshPrefix();
    const before = new Gateway({ redis: redisUrl(), accounts: [account], prefix, logger: silent });
    await before.start();
    expect(before.accounts[0]?.unknownGaps).toBe(0);
    await before.stop();
    await using after = new Gateway({ redis: redisUrl(), accounts: [account], prefix, logger: silent });
    await after.start();
    expect(after.accounts[0]?.unknownGaps).toBe(1);
    expect(after.metrics.get('milky_broker_unknown_gaps_total', { account: 40003 })).toBe(1);
    const redis = connect();
    try {
      expect((await readStatus(redis, prefix)).accounts[0]).toMatchObject({ uin: 40003, unknownGaps: 1 });
    } finally {
      redis.disconnect();
    }
  });
});

describe('protocol sides that are down', () => {
  test('one that cannot be reached is tried again while the others are served; one that refuses the token is given up on', async () => {
    await using worlds = await sides(1);
    const side = worlds[0] as Side;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const prefix = freshPrefix();
    const gateway = new Gateway({
      redis: redisUrl(),
      accounts: [
        side.account,
        { name: 'down', url: `http://127.0.0.1:${port}`, token },
        { name: 'wrong token', url: side.url, token: 'not-it' },
      ],
      prefix,
      logger: silent,
    });
    const first = appended(gateway, 1);
    const up = once(gateway, 'connected');
    const starting = gateway.start();
    expect(await up).toEqual([side.uin, side.account.name]);
    await say(side, 'served anyway');
    await first;
    const health = await gateway.health();
    expect(health).toMatchObject({
      ok: false,
      redis: true,
      accounts: [
        { name: side.account.name, uin: side.uin, connected: true },
        { name: 'down', connected: false },
        { name: 'wrong token', connected: false, failed: 'the protocol side refused the token (401)' },
      ],
    });
    await gateway.stop();
    await starting;
  });
});

describe('once per group message', () => {
  test('a message three accounts received is handled once, by one worker, with all three accounts', async () => {
    await using worlds = await sides(3);
    const prefix = freshPrefix();
    await using gateway = gatewayFor(worlds, prefix);
    await gateway.start();
    const all = appended(gateway, 3);
    const seqs = await Promise.all(worlds.map((side) => say(side, 'one message, three bots')));
    expect(new Set(seqs).size).toBe(1);
    await all;
    const record = recorder();
    const options = { redis: redisUrl(), group: 'once', prefix, oncePerGroupMessage: true, start: 'all', logger: silent } as const;
    await using first = new Worker({ ...options, handler: record.handler('first') });
    await using second = new Worker({ ...options, handler: record.handler('second') });
    const outcomes: string[] = [];
    const { done: settledAll, poke } = when(() => outcomes.length === 4);
    for (const worker of [first, second])
      worker.on('settled', (_id, outcome) => {
        outcomes.push(outcome);
        poke();
      });
    await first.start();
    await second.start();
    await record.until(1);
    const later = await say(worlds[0] as Side, 'later');
    await settledAll; // the three entries of the shared message, and the later one
    expect(outcomes.sort()).toEqual(['deduplicated', 'deduplicated', 'handled', 'handled']);
    expect(record.handled).toHaveLength(2);
    const [shared, next] = record.handled;
    expect(shared?.event).toMatchObject({ event_type: 'message_receive', data: { peer_id: sharedGroup, message_seq: seqs[0] } });
    expect([...(shared?.accounts ?? [])].sort()).toEqual(worlds.map((side) => side.uin));
    expect(shared?.accounts[0]).toBe(shared?.account);
    expect(next?.event).toMatchObject({ data: { message_seq: later } });
    expect(next?.accounts).toEqual([worlds[0]?.uin]);
  });
});

describe('calls back', () => {
  test('through the receiving account, and through another account of the group when the first answers -403', async () => {
    await using worlds = await sides(3);
    const [receiver, second] = worlds as unknown as [Side, Side, Side];
    const prefix = freshPrefix();
    await using gateway = gatewayFor(worlds, prefix);
    await gateway.start();
    const redis = connect();
    const calls = new Calls(redis, new Keys(prefix), { accounts: worlds.map((side) => side.account), logger: silent });
    const answers: Array<{ asked: number; seq: number }> = [];
    const record = recorder();
    await using worker = new Worker({
      redis,
      group: 'answer',
      prefix,
      calls,
      logger: silent,
      handler: record.handler('w', async (event, context) => {
        if (event.event_type !== 'message_receive') return;
        const me = await context.api.call('get_login_info');
        const text = event.data.segments[0]?.type === 'text' ? event.data.segments[0].data.text : '';
        if (text === 'failover') receiver.server.setOnline(false, 'gone');
        const sent = await context.group(sharedGroup).call('send_group_message', {
          group_id: sharedGroup,
          message: [{ type: 'text', data: { text: `pong from the one that got it as ${me.uin}` } }],
        });
        answers.push({ asked: me.uin, seq: sent.message_seq });
      }),
    });
    await worker.start();
    const history = async (side: Side) => {
      const client = new MilkyClient({ baseUrl: side.url, accessToken: token, logger: silent });
      const { messages } = await client.api.get_history_messages({ message_scene: 'group', peer_id: sharedGroup });
      return messages.filter((message) => message.sender_id === side.uin).map((message) => message.message_seq);
    };
    await say(receiver, 'ping');
    await record.until(1);
    expect(answers).toEqual([{ asked: receiver.uin, seq: expect.any(Number) }]);
    expect(await history(receiver)).toEqual([answers[0]?.seq]);
    await say(receiver, 'failover');
    await record.until(3); // the message, then the bot_offline event
    expect(answers).toHaveLength(2);
    expect(await history(second)).toEqual([answers[1]?.seq]);
    receiver.server.setOnline(true);
    expect(await history(receiver)).toEqual([answers[0]?.seq]);
    await worker.stop();
    redis.disconnect();
  });
});
