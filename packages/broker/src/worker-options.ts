// What a worker is told: its group, its handler, and how it retries and claims; and the series
// it counts.

import type { Calls } from './calls.ts';
import type { Handler } from './context.ts';
import type { Logger } from './logger.ts';
import type { RedisLike } from './redis.ts';

/** A worker's group, handler, and how it retries and claims. */
export interface WorkerOptions {
  readonly redis: RedisLike;
  /** The consumer group: workers of one group share the events, each handled by one of them. */
  readonly group: string;
  /** This worker's name in the group; unique per process. Default `<host>-<pid>-<random>`. */
  readonly consumer?: string | undefined;
  readonly prefix?: string | undefined;
  /** Read one account's stream instead of the combined one. */
  readonly account?: number | undefined;
  readonly handler: Handler;
  /** Entries handled at once. Default 8. */
  readonly concurrency?: number | undefined;
  /** Attempts before an entry goes to the dead-letter stream. Default 3. */
  readonly maxAttempts?: number | undefined;
  /** Window of the first retry's delay, in ms (the delay is drawn from it at random); it doubles, up to 30 s. Default 1000. */
  readonly retryDelay?: number | undefined;
  /** How long an entry stays pending with a consumer before another may claim it, in ms. Default 60 000. */
  readonly claimIdle?: number | undefined;
  /** How long a read waits for new entries, in ms. Default 5000. */
  readonly block?: number | undefined;
  /** Where a new group starts: `new` events only (the default), or `all` the streams still hold. */
  readonly start?: 'new' | 'all' | undefined;
  /** Handle a group message once however many accounts received it (keyed by group and message_seq). */
  readonly oncePerGroupMessage?: boolean | undefined;
  /** How long a group message is remembered for that, in seconds. Default 3600. */
  readonly onceTtl?: number | undefined;
  /** For `context.api` and `context.group()`. */
  readonly calls?: Calls | undefined;
  readonly logger?: Logger | undefined;
}

/** The counts a worker runs with, defaults filled in. */
export interface WorkerLimits {
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly claimIdle: number;
}

/** The group name and the counts of `options`, checked; the counts with their defaults. */
export function resolveWorkerLimits(options: WorkerOptions): WorkerLimits {
  if (!/^[\w.:-]{1,64}$/.test(options.group))
    throw new TypeError(`group: expected 1 to 64 letters, digits or ._:-, got ${JSON.stringify(options.group)}`);
  const limits: WorkerLimits = {
    concurrency: options.concurrency ?? 8,
    maxAttempts: options.maxAttempts ?? 3,
    claimIdle: options.claimIdle ?? 60_000,
  };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${field}: expected a positive integer, got ${value}`);
  }
  return limits;
}

/** A worker's Prometheus series. */
export const workerMetrics = {
  milky_broker_handled_total: { help: 'Entries handled and acknowledged.', type: 'counter' },
  milky_broker_handler_failures_total: { help: 'Handler attempts that threw.', type: 'counter' },
  milky_broker_dead_letters_total: { help: 'Entries moved to the dead-letter stream.', type: 'counter' },
  milky_broker_deduplicated_total: {
    help: 'Group messages acknowledged unhandled: another account’s entry handled them.',
    type: 'counter',
  },
  milky_broker_claimed_total: { help: 'Entries claimed from a consumer that left them idle.', type: 'counter' },
  milky_broker_trimmed_pending_total: { help: 'Pending entries trimmed from the stream before they were handled.', type: 'counter' },
} as const;
