// Entries a consumer left pending (it died) are claimed by the others once idle for `claimIdle`;
// while a handler runs, its entry is touched so that it is not claimed from a live worker.

import type { Consumer, Reply } from './consumer.ts';

/**
 * Takes over up to `count` entries other consumers left idle for `claimIdle` (a worker that died),
 * and returns those to handle: one delivered more than `maxAttempts` times goes to the dead letters.
 */
export async function claimIdleEntries(consumer: Consumer, count: number): Promise<Reply[]> {
  const { redis, stream, group, logger, metrics } = consumer;
  let reply: [string, Array<Reply | null>, string[]?];
  try {
    reply = (await redis.xautoclaim(stream, group, consumer.consumer, consumer.claimIdle, '0-0', 'COUNT', count)) as typeof reply;
  } catch (error) {
    logger.error('claiming idle entries failed', { stream, error: String(error) });
    return [];
  }
  const [, claimed, deleted = []] = reply;
  if (deleted.length > 0) {
    metrics.add('milky_broker_trimmed_pending_total', {}, deleted.length);
    logger.error('pending entries were trimmed from the stream before they were handled (raise maxLen)', { stream, entries: deleted });
  }
  const entries = claimed.filter((entry): entry is Reply => entry !== null);
  if (entries.length > 0) {
    metrics.add('milky_broker_claimed_total', {}, entries.length);
    logger.warn('claimed entries another consumer left idle', { stream, entries: entries.map(([id]) => id) });
  }
  // An entry whose workers keep dying while handling it (it crashes them) is not handed to another
  // forever: delivered more than maxAttempts times, it goes to the dead letters.
  const handle: Reply[] = [];
  for (const [id, fields] of entries) {
    const [info] = (await redis.xpending(stream, group, id, id, 1)) as Array<[string, string, number, number]>;
    const deliveries = Number(info?.[3] ?? 0);
    if (deliveries > consumer.maxAttempts) {
      const error = `delivered ${deliveries} times without being acknowledged (the workers handling it stopped)`;
      logger.error('an entry no worker could finish moves to the dead letters', { entry: id, deliveries });
      await consumer.bury(id, fields, error, deliveries - 1);
    } else handle.push([id, fields]);
  }
  return handle;
}

/** Resets the idle time of the entries being handled, so that they are not claimed from a live worker. */
export function touchEntries(consumer: Consumer, inHand: ReadonlySet<string>): void {
  if (inHand.size === 0) return;
  consumer.redis
    .xclaim(consumer.stream, consumer.group, consumer.consumer, 0, ...inHand, 'JUSTID')
    .catch((error: unknown) => consumer.logger.warn('touching entries in hand failed', { error: String(error) }));
}
