// Workers against a real Redis, fed by hand: retries, dead letters, entries that are not events,
// and stopping with a handler in hand.

import type { Event } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { Keys, readStatus, Worker } from '../src/index.ts';
import { connect, freshPrefix, redisUrl, silent, when } from './helpers.ts';

const offline = (n: number): Event => ({ time: 1763900000 + n, self_id: 30001, event_type: 'bot_offline', data: { reason: `#${n}` } });

async function append(prefix: string, ...fields: string[]): Promise<string> {
  const redis = connect();
  try {
    return (await redis.xadd(new Keys(prefix).combined, '*', ...fields)) as string;
  } finally {
    redis.disconnect();
  }
}

const eventFields = (event: Event) => ['account', String(event.self_id), 'type', event.event_type, 'event', JSON.stringify(event)];

/** Resolves with the outcomes of the next `count` entries the worker settles. */
function settled(worker: Worker, count: number): Promise<Array<[string, string]>> {
  const outcomes: Array<[string, string]> = [];
  return new Promise((resolve) =>
    worker.on('settled', (id, outcome) => {
      outcomes.push([id, outcome]);
      if (outcomes.length === count) resolve(outcomes);
    }),
  );
}

const fieldsOf = (flat: readonly string[]) =>
  Object.fromEntries(flat.flatMap((value, index) => (index % 2 === 0 ? [[value, flat[index + 1]]] : [])));

describe('retries and dead letters', () => {
  test('a handler that keeps failing is retried maxAttempts times, then the entry moves to the dead letters', async () => {
    const prefix = freshPrefix();
    const attempts: number[] = [];
    await using worker = new Worker({
      redis: redisUrl(),
      group: 'flaky',
      prefix,
      maxAttempts: 3,
      retryDelay: 1,
      logger: silent,
      handler: (_event, context) => {
        attempts.push(context.attempt);
        throw new Error(`attempt ${context.attempt} failed`);
      },
    });
    await worker.start();
    const outcome = settled(worker, 1);
    const id = await append(prefix, ...eventFields(offline(1)));
    expect(await outcome).toEqual([[id, 'dead']]);
    expect(attempts).toEqual([1, 2, 3]);
    const redis = connect();
    try {
      const keys = new Keys(prefix);
      const dead = await redis.xrange(keys.dead('flaky'), '-', '+');
      expect(dead).toHaveLength(1);
      expect(fieldsOf(dead[0]?.[1] ?? [])).toMatchObject({
        account: '30001',
        type: 'bot_offline',
        entry: id,
        error: 'attempt 3 failed',
        attempts: '3',
        stream: keys.combined,
      });
      expect((await readStatus(redis, prefix)).groups).toEqual([expect.objectContaining({ group: 'flaky', pending: 0, deadLetters: 1 })]);
      expect(await redis.hlen(keys.attempts('flaky'))).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  test('a handler that fails once is retried and acknowledged, its attempt count forgotten', async () => {
    const prefix = freshPrefix();
    const attempts: Array<[number, number]> = [];
    await using worker = new Worker({
      redis: redisUrl(),
      group: 'once-flaky',
      prefix,
      retryDelay: 1,
      logger: silent,
      handler: (event, context) => {
        attempts.push([event.time - 1763900000, context.attempt]);
        if (event.time === 1763900001 && context.attempt === 1) throw new Error('first attempt fails');
      },
    });
    await worker.start();
    const outcomes = settled(worker, 2);
    const first = await append(prefix, ...eventFields(offline(1)));
    const second = await append(prefix, ...eventFields(offline(2)));
    expect((await outcomes).sort()).toEqual([
      [first, 'handled'],
      [second, 'handled'],
    ]);
    expect(attempts.filter(([n]) => n === 1)).toEqual([
      [1, 1],
      [1, 2],
    ]);
    const redis = connect();
    try {
      expect(await redis.hlen(new Keys(prefix).attempts('once-flaky'))).toBe(0);
      expect(worker.metrics.get('milky_broker_dead_letters_total')).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  test('an entry whose workers keep dying is claimed until delivered more than maxAttempts times, then buried', async () => {
    const prefix = freshPrefix();
    const keys = new Keys(prefix);
    const redis = connect();
    try {
      await redis.xgroup('CREATE', keys.combined, 'crashy', '$', 'MKSTREAM');
      const id = await append(prefix, ...eventFields(offline(1)));
      // Two workers took it and died (each delivery counted), without acknowledging.
      await redis.xreadgroup('GROUP', 'crashy', 'died-1', 'COUNT', 1, 'STREAMS', keys.combined, '>');
      await redis.xclaim(keys.combined, 'crashy', 'died-2', 0, id);
      const handled: Event[] = [];
      await using worker = new Worker({
        redis: redisUrl(),
        group: 'crashy',
        prefix,
        maxAttempts: 2,
        claimIdle: 1,
        logger: silent,
        handler: (event) => handled.push(event),
      });
      const outcome = settled(worker, 1);
      await worker.start();
      expect(await outcome).toEqual([[id, 'dead']]);
      expect(handled).toEqual([]);
      const dead = await redis.xrange(keys.dead('crashy'), '-', '+');
      expect(fieldsOf(dead[0]?.[1] ?? [])).toMatchObject({
        entry: id,
        attempts: '2',
        error: 'delivered 3 times without being acknowledged (the workers handling it stopped)',
      });
    } finally {
      redis.disconnect();
    }
  });

  test('an entry that is not an event goes to the dead letters at once, naming the field', async () => {
    const prefix = freshPrefix();
    const handled: Event[] = [];
    await using worker = new Worker({
      redis: redisUrl(),
      group: 'strict',
      prefix,
      logger: silent,
      handler: (event) => handled.push(event),
    });
    await worker.start();
    const outcomes = settled(worker, 2);
    const bad = await append(prefix, 'account', 'nobody', 'event', '{}');
    const good = await append(prefix, ...eventFields(offline(1)));
    expect((await outcomes).sort()).toEqual([
      [bad, 'dead'],
      [good, 'handled'],
    ]);
    const redis = connect();
    try {
      const dead = await redis.xrange(new Keys(prefix).dead('strict'), '-', '+');
      expect(dead.map(([, fields]) => fieldsOf(fields).error)).toEqual([`entry ${bad}: account: expected a QQ number, got "nobody"`]);
      expect(handled.map((event) => event.time)).toEqual([1763900001]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('stopping', () => {
  test('stop() lets the handler in hand finish and acknowledges it; nothing is left pending', async () => {
    const prefix = freshPrefix();
    let release!: () => void;
    const started = when(() => release !== undefined);
    const finished: number[] = [];
    const worker = new Worker({
      redis: redisUrl(),
      group: 'graceful',
      prefix,
      logger: silent,
      handler: (event) =>
        new Promise<void>((resolve) => {
          release = () => {
            finished.push(event.time);
            resolve();
          };
          started.poke();
        }),
    });
    await worker.start();
    await append(prefix, ...eventFields(offline(1)));
    await started.done;
    const stopping = worker.stop();
    release();
    await stopping;
    expect(finished).toEqual([1763900001]);
    const redis = connect();
    try {
      expect((await readStatus(redis, prefix)).groups[0]).toMatchObject({ group: 'graceful', consumers: 0, pending: 0, lag: 0 });
    } finally {
      redis.disconnect();
    }
  });
});
