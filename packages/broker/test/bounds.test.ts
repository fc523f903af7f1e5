// The bounds: an event over maxEventBytes is dropped, counted and logged; calls through an account
// over its rate wait for the next window, across every worker sharing Redis.

import { MilkyServer } from '@milky/server';
import type { Event } from '@milky/types';
import { expect, test } from 'vitest';
import { Gateway, Keys } from '../src/index.ts';
import { RateLimiter } from '../src/rate-limit.ts';
import { connect, freshPrefix, redisUrl, silent, token } from './helpers.ts';

test('an event larger than maxEventBytes is dropped, counted and logged; the next one is appended', async () => {
  await using server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
  server.handle('get_login_info', () => ({ uin: 40002, nickname: 'bot' }));
  const { port } = await server.listen();
  const logged: Array<[string, Record<string, unknown> | undefined]> = [];
  const prefix = freshPrefix();
  await using gateway = new Gateway({
    redis: redisUrl(),
    accounts: [{ url: `http://127.0.0.1:${port}`, token }],
    prefix,
    maxEventBytes: 200,
    logger: { ...silent, error: (message, fields) => logged.push([message, fields]) },
  });
  await gateway.start();
  const offline = (reason: string): Event => ({ time: 1763900000, self_id: 40002, event_type: 'bot_offline', data: { reason } });
  const appended = new Promise<[number, string]>((resolve) => gateway.once('appended', (...args) => resolve(args)));
  server.emit(offline('x'.repeat(300)));
  server.emit(offline('short'));
  const [, entryId] = await appended;
  expect(gateway.metrics.get('milky_broker_events_dropped_total', { account: 40002, reason: 'too_large' })).toBe(1);
  expect(logged).toEqual([
    ['event dropped', expect.objectContaining({ account: 40002, reason: 'too_large', type: 'bot_offline', limit: 200 })],
  ]);
  const redis = connect();
  try {
    const entries = await redis.xrange(new Keys(prefix).combined, '-', '+');
    expect(entries.map(([id]) => id)).toEqual([entryId]);
  } finally {
    redis.disconnect();
  }
});

test('a rate limit of two calls a second: the third call waits for the next window', async () => {
  const redis = connect();
  try {
    const limiter = new RateLimiter(redis, 2);
    const other = new RateLimiter(redis, 2); // another worker, sharing the count
    const key = new Keys(freshPrefix()).rate(30001);
    await limiter.take(key);
    await other.take(key);
    expect(await redis.get(key)).toBe('2');
    await limiter.take(key);
    expect(await redis.get(key)).toBe('1'); // counted in a new window: it waited for the first to end
  } finally {
    redis.disconnect();
  }
});
