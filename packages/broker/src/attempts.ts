// One entry, handled: decoded (one that is not an event goes to the dead letters), claimed once per
// group message when asked, then given to the handler until it resolves (acknowledged) or has
// thrown `maxAttempts` times (the count kept in Redis, so it survives the worker; then the dead
// letters), with backoff between attempts.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Outcome } from './consumer.ts';
import { type Context, noCalls } from './context.ts';
import { decodeEntry, EntryError, type EventEntry, groupMessageKey } from './entry.ts';
import { backoffDelay } from './internal/backoff.ts';
import { claimOnce } from './once.ts';
import type { WorkerOptions } from './worker-options.ts';

/** Handles one entry to its end; `settled` is told how, unless the worker stopped first. */
export async function handleEntry(
  consumer: Consumer,
  options: WorkerOptions,
  entryReply: { id: string; fields: string[]; redelivered: boolean },
  signal: AbortSignal,
  settled: (id: string, outcome: Outcome) => void,
): Promise<void> {
  const { redis, keys, stream, group, logger, metrics } = consumer;
  const { id, fields, redelivered } = entryReply;
  let entry: EventEntry;
  try {
    entry = decodeEntry(id, fields);
  } catch (error) {
    if (!(error instanceof EntryError)) throw error;
    logger.error('an entry that is not an event, moved to the dead letters', { entry: id, error: error.message });
    return consumer.bury(id, fields, error.message, 0);
  }
  let accounts: readonly number[] = [entry.account];
  const message = options.oncePerGroupMessage ? groupMessageKey(entry.event) : undefined;
  if (message) {
    const claim = await claimOnce(
      redis,
      { once: keys.once(group, message.groupId, message.messageSeq), seen: keys.seen(message.groupId, message.messageSeq) },
      id,
      entry.account,
      (options.onceTtl ?? 3600) * 1000,
    );
    if (!claim.mine) {
      await redis.xack(stream, group, id);
      metrics.add('milky_broker_deduplicated_total');
      settled(id, 'deduplicated');
      return;
    }
    accounts = [entry.account, ...claim.accounts.filter((uin) => uin !== entry.account)];
  }
  const attemptsKey = keys.attempts(group);
  // A new entry has no failures yet; one claimed or read again may have some, kept in Redis.
  let failures = redelivered ? Number((await redis.hget(attemptsKey, id)) ?? 0) : 0;
  while (!signal.aborted) {
    const calls = options.calls;
    const context: Context = {
      entryId: id,
      account: entry.account,
      accounts,
      attempt: failures + 1,
      api: calls ? calls.account(entry.account) : noCalls,
      group: (groupId) => (calls ? calls.group(groupId, accounts) : noCalls),
      signal,
    };
    try {
      await options.handler(entry.event, context);
    } catch (error) {
      failures = await redis.hincrby(attemptsKey, id, 1);
      metrics.add('milky_broker_handler_failures_total');
      const reason = error instanceof Error ? error.message : String(error);
      if (failures >= consumer.maxAttempts) {
        logger.error('a handler failed on its last attempt; the entry moves to the dead letters', {
          entry: id,
          attempts: failures,
          error: reason,
        });
        return consumer.bury(id, fields, reason, failures);
      }
      const delay = backoffDelay(failures - 1, { baseDelay: options.retryDelay ?? 1000, maxDelay: 30_000 });
      logger.warn('a handler failed; retrying', { entry: id, attempt: failures, delay, error: reason });
      await sleep(delay, undefined, { signal }).catch(() => {});
      continue;
    }
    if (failures === 0 && !redelivered) await redis.xack(stream, group, id);
    else await redis.multi().xack(stream, group, id).hdel(attemptsKey, id).exec();
    metrics.add('milky_broker_handled_total');
    settled(id, 'handled');
    return;
  }
}
