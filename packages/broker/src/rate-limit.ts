// A per-account rate limit shared by every worker: a fixed one-second window counted in Redis.
// A call over the limit waits for the next window.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

const script = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

/** At most `perSecond` calls a second per key, across every process sharing Redis. */
export class RateLimiter {
  private readonly redis: Redis;
  private readonly perSecond: number;

  constructor(redis: Redis, perSecond: number) {
    this.redis = redis;
    this.perSecond = perSecond;
    if (!Number.isSafeInteger(perSecond) || perSecond <= 0) throw new TypeError(`rateLimit: expected a positive integer, got ${perSecond}`);
  }

  /** Resolves when a call through the account under `key` is allowed. */
  async take(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const [count, ttl] = (await this.redis.eval(script, 1, key, 1000)) as [number, number];
      if (count <= this.perSecond) return;
      await sleep(Math.max(1, ttl), undefined, signal ? { signal } : {});
    }
  }
}
