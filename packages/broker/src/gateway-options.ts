// What a gateway is told (its Redis, its protocol sides, its bounds), what it knows of each
// account, and the series it counts.

import type { ReconnectOptions } from '@milky/client';
import type { AccountConfig } from './config.ts';
import type { Logger } from './logger.ts';
import type { RedisLike } from './redis.ts';

/** Where the gateway appends, the protocol sides it reads, and its bounds. */
export interface GatewayOptions {
  readonly redis: RedisLike;
  readonly accounts: readonly AccountConfig[];
  /** What every key starts with (in braces, as a Redis Cluster hash tag). Default `milky`. */
  readonly prefix?: string | undefined;
  /** Entries kept per stream, about (MAXLEN ~): older ones are trimmed. Default 100 000. */
  readonly maxLen?: number | undefined;
  /** Largest event appended, in bytes of JSON; a larger one is dropped, counted and logged. Default 1 MiB. */
  readonly maxEventBytes?: number | undefined;
  /** Events waiting for Redis, at most: beyond, new events are dropped, counted and logged. Default 10 000. */
  readonly maxQueued?: number | undefined;
  /** The same bound in bytes. Default 64 MiB. */
  readonly maxQueuedBytes?: number | undefined;
  /** How long the accounts that received a group message are remembered, in seconds. Default 3600. */
  readonly seenTtl?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Passed to each `MilkyClient` (tests shorten the reconnection delays). */
  readonly reconnect?: ReconnectOptions | undefined;
}

/** What the gateway knows of one account. */
export interface AccountState {
  readonly name: string;
  readonly url: string;
  uin: number | undefined;
  connected: boolean;
  appended: number;
  lost: number;
  /** Reconnections after which the server could not say what was missed (WebSocket, or a restarted server). */
  unknownGaps: number;
  lastEventAt: number | undefined;
  /** Why the account is not served, when it is given up on. */
  failed?: string | undefined;
}

/** The gateway's Prometheus series. */
export const gatewayMetrics = {
  milky_broker_events_appended_total: { help: 'Events appended to the streams, per account.', type: 'counter' },
  milky_broker_events_lost_total: {
    help: 'Events the protocol side sent while the gateway was away and could not replay, per account.',
    type: 'counter',
  },
  milky_broker_unknown_gaps_total: {
    help: 'Reconnections after which what was missed could not be counted (no replay), per account.',
    type: 'counter',
  },
  milky_broker_events_dropped_total: { help: 'Events dropped by a bound (reason: too_large, queue_full), per account.', type: 'counter' },
  milky_broker_account_connected: { help: 'Whether the event stream of an account is up.', type: 'gauge' },
  milky_broker_redis_errors_total: { help: 'Appends Redis refused or that failed.', type: 'counter' },
  milky_broker_queued_events: { help: 'Events waiting to be appended.', type: 'gauge' },
} as const;
