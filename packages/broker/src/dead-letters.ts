// The dead letters of a consumer group: entries it gave up on, with why.

import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';

/** Most characters of a handler's error kept with a dead letter. */
const maxErrorLength = 2000;

/**
 * Appends an entry to the group's dead-letter stream (its fields, plus `stream`, `entry`, `error`
 * and `attempts`), acknowledges it and forgets its attempt count, in one transaction.
 */
export async function buryEntry(
  redis: Redis,
  keys: Keys,
  where: { group: string; stream: string },
  entry: { id: string; fields: readonly string[]; error: string; attempts: number },
): Promise<void> {
  const result = await redis
    .multi()
    .xadd(
      keys.dead(where.group),
      '*',
      ...entry.fields,
      'stream',
      where.stream,
      'entry',
      entry.id,
      'error',
      entry.error.slice(0, maxErrorLength),
      'attempts',
      String(entry.attempts),
    )
    .xack(where.stream, where.group, entry.id)
    .hdel(keys.attempts(where.group), entry.id)
    .exec();
  const failed = result?.find(([error]) => error);
  if (!result || failed) throw failed?.[0] ?? new Error('the transaction was discarded');
}
