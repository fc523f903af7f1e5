// Redis connections with timeouts on every socket: connecting, and each command.

import { Redis } from 'ioredis';

/** An open ioredis connection (the caller closes it), or a `redis://` URL to open one. */
export type RedisLike = Redis | string;

/** Timeouts and retries of the connections the broker opens. */
export const redisDefaults = {
  connectTimeout: 10_000,
  commandTimeout: 15_000,
  maxRetriesPerRequest: 3,
  enableAutoPipelining: true,
};

/** Opens a connection to `url` (`redis://host:port/db`), or takes an open one (the caller closes it). */
export function connectRedis(redis: RedisLike, name: string): { redis: Redis; owned: boolean } {
  if (typeof redis !== 'string') return { redis, owned: false };
  return { redis: new Redis(redis, { ...redisDefaults, connectionName: name, lazyConnect: false }), owned: true };
}

/** A second connection for blocking reads (XREADGROUP BLOCK holds its connection), without the command timeout. */
export function blockingConnection(redis: Redis, name: string): Redis {
  return redis.duplicate({ commandTimeout: undefined, connectionName: name, maxRetriesPerRequest: null });
}

/** Closes a connection, waiting for replies to what was sent; falls back to dropping it. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
