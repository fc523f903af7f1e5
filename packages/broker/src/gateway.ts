// The gateway: one event stream per protocol side (with @milky/client), each event appended to its
// account's stream and to the combined stream in one transaction, both capped by length (MAXLEN ~).
// The SSE id of the last event appended is kept beside them, so that after a restart each stream
// resumes with Last-Event-ID where the server replays, and what cannot be replayed is counted.

import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { MilkyClient, MilkyUnauthorizedError, type ReconnectOptions } from '@milky/client';
import type { Event } from '@milky/types';
import type { Redis } from 'ioredis';
import { Appender, positive } from './appender.ts';
import type { AccountConfig } from './config.ts';
import { backoffDelay } from './internal/backoff.ts';
import { redactUrl } from './internal/logger.ts';
import { Keys } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { closeRedis, connectRedis, type RedisLike } from './redis.ts';
import { gapAfter } from './resume.ts';

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

/** What a gateway announces. */
export interface GatewayEvents {
  /** An event was appended: its account, and its entry id in the combined stream. */
  appended: [account: number, entryId: string];
  /** An account's event stream is up (again). */
  connected: [account: number, name: string];
}

/** Reads every protocol side's events and appends them to Redis Streams. */
export class Gateway extends EventEmitter<GatewayEvents> {
  readonly metrics = new Metrics(gatewayMetrics);
  readonly keys: Keys;
  readonly redis: Redis;
  private readonly ownsRedis: boolean;
  private readonly options: GatewayOptions;
  private readonly logger: Logger;
  private readonly clients: MilkyClient[] = [];
  private readonly appender: Appender<AccountState>;
  readonly accounts: AccountState[];
  private stopped = false;
  private readonly stopper = new AbortController();

  constructor(options: GatewayOptions) {
    super();
    if (options.accounts.length === 0) throw new TypeError('accounts: expected at least one protocol side');
    this.options = options;
    this.logger = options.logger ?? consoleLogger;
    this.keys = new Keys(options.prefix);
    ({ redis: this.redis, owned: this.ownsRedis } = connectRedis(options.redis, 'milky-broker:gateway'));
    this.appender = new Appender({
      redis: this.redis,
      keys: this.keys,
      maxLen: positive('maxLen', options.maxLen ?? 100_000),
      maxEventBytes: positive('maxEventBytes', options.maxEventBytes ?? 1024 * 1024),
      maxQueued: positive('maxQueued', options.maxQueued ?? 10_000),
      maxQueuedBytes: positive('maxQueuedBytes', options.maxQueuedBytes ?? 64 * 1024 * 1024),
      seenTtl: positive('seenTtl', options.seenTtl ?? 3600),
      metrics: this.metrics,
      logger: this.logger,
      appended: (state, uin, entryId) => {
        state.appended++;
        state.lastEventAt = Date.now();
        this.emit('appended', uin, entryId);
      },
    });
    this.accounts = options.accounts.map((account, index) => ({
      name: account.name ?? `account ${index + 1}`,
      url: account.url,
      uin: undefined,
      connected: false,
      appended: 0,
      lost: 0,
      unknownGaps: 0,
      lastEventAt: undefined,
    }));
  }

  /**
   * Connects to every protocol side; resolves once each event stream is up. A protocol side that
   * cannot be reached is tried again with backoff (the others are served meanwhile; `health()`
   * says which are down); one that refuses the token is given up on, and logged.
   */
  async start(): Promise<void> {
    await Promise.all(
      this.options.accounts.map(async (account, index) => {
        const state = this.accounts[index] as AccountState;
        for (let attempt = 1; !this.stopper.signal.aborted; attempt++) {
          try {
            await this.startAccount(account, state);
            return;
          } catch (error) {
            if (this.stopper.signal.aborted) return;
            if (error instanceof MilkyUnauthorizedError) {
              state.failed = 'the protocol side refused the token (401)';
              this.logger.error('a protocol side refused the token; this account is not served', {
                name: state.name,
                url: redactUrl(state.url),
              });
              return;
            }
            const delay = backoffDelay(attempt - 1, { baseDelay: 500, maxDelay: 30_000 });
            this.logger.warn('a protocol side cannot be reached; trying again', { name: state.name, attempt, delay, error: String(error) });
            await sleep(delay, undefined, { signal: this.stopper.signal }).catch(() => {});
          }
        }
      }),
    );
  }

  private async startAccount(config: AccountConfig, state: AccountState): Promise<void> {
    const client = new MilkyClient({
      baseUrl: config.url,
      accessToken: config.token,
      logger: this.logger,
      events: { transport: config.transport ?? 'sse', ...(this.options.reconnect ? { reconnect: this.options.reconnect } : {}) },
    });
    this.clients.push(client);
    let login: { uin: number };
    try {
      login = await client.api.get_login_info(undefined, { timeout: 10_000 });
    } catch (error) {
      this.clients.splice(this.clients.indexOf(client), 1);
      throw error;
    }
    const uin = login.uin;
    state.uin = uin;
    const kept = (await this.redis.get(this.keys.resume(uin))) ?? undefined;
    let previous = kept;
    let firstAfterConnect = false;
    // An account a gateway served before, over WebSocket: what it missed meanwhile cannot be known.
    let connections = (await this.redis.hexists(this.keys.accounts, String(uin))) === 1 ? 1 : 0;
    client.on('connected', ({ transport }) => {
      // WebSocket has no ids to resume from: a reconnection (or a restart) may have missed events, how many is unknown.
      if (transport === 'websocket' && connections++ > 0) this.countGap(state, uin, '', undefined);
      state.connected = true;
      firstAfterConnect = true;
      this.metrics.set('milky_broker_account_connected', { account: uin }, 1);
      this.publishState(state);
      this.logger.info('event stream up', { account: uin, name: state.name, transport, resumeFrom: previous ?? null });
      this.emit('connected', uin, state.name);
    });
    client.on('reconnecting', ({ attempt, error }) => {
      if (state.connected) {
        state.connected = false;
        this.metrics.set('milky_broker_account_connected', { account: uin }, 0);
        this.publishState(state);
      }
      this.logger.warn('event stream lost, reconnecting', { account: uin, attempt, error: error.message });
    });
    client.on('disconnected', ({ error }) => {
      state.connected = false;
      this.metrics.set('milky_broker_account_connected', { account: uin }, 0);
      this.publishState(state);
      if (error) this.logger.error('event stream ended', { account: uin, error: error.message });
    });
    client.on('event', (event) => {
      const sourceId = client.lastEventId;
      if (firstAfterConnect) {
        firstAfterConnect = false;
        this.countGap(state, uin, previous, sourceId);
      }
      if (sourceId !== undefined) previous = sourceId;
      this.appender.append(state, uin, event as Event, sourceId);
    });
    try {
      await client.connect({ lastEventId: kept });
    } catch (error) {
      this.clients.splice(this.clients.indexOf(client), 1);
      client.removeAllListeners();
      throw error;
    }
  }

  /** Counts what a reconnection missed, from the ids before and after it. */
  private countGap(state: AccountState, uin: number, before: string | undefined, after: string | undefined): void {
    if (before === undefined) return;
    const gap = before === '' ? 'unknown' : gapAfter(before, after);
    if (gap === 'unknown') {
      state.unknownGaps++;
      this.metrics.add('milky_broker_unknown_gaps_total', { account: uin });
      this.logger.warn('the protocol side could not replay what was missed; how many events were lost is unknown', { account: uin });
    } else if (gap > 0) {
      state.lost += gap;
      this.metrics.add('milky_broker_events_lost_total', { account: uin }, gap);
      this.logger.warn('events missed while away could not be replayed', { account: uin, lost: gap });
    } else return;
    this.publishState(state);
  }

  private publishState(state: AccountState): Promise<void> {
    if (state.uin === undefined || this.stopped) return Promise.resolve();
    const { name, url, connected, lost, unknownGaps } = state;
    return this.redis
      .hset(
        this.keys.accounts,
        String(state.uin),
        JSON.stringify({ name, url: redactUrl(url), connected, lost, unknownGaps, at: Date.now() }),
      )
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn('account state not saved', { account: state.uin, error: String(error) }),
      );
  }

  /** Whether Redis answers and every account's stream is up. */
  async health(): Promise<{
    ok: boolean;
    redis: boolean;
    accounts: Array<{ name: string; uin: number | undefined; connected: boolean; failed?: string }>;
  }> {
    const redis = await this.redis.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    const accounts = this.accounts.map(({ name, uin, connected, failed }) => ({ name, uin, connected, ...(failed ? { failed } : {}) }));
    return { ok: redis && accounts.every((account) => account.connected), redis, accounts };
  }

  /** Waits until every event received so far is appended. */
  flush(): Promise<void> {
    return this.appender.flush();
  }

  /**
   * Stops: closes the event streams (nothing more comes in), waits for every append to finish,
   * records the accounts as disconnected, and closes Redis.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopper.abort();
    await Promise.all(this.clients.map((client) => client.disconnect()));
    await this.flush();
    await Promise.all(
      this.accounts.map((state) => {
        state.connected = false;
        return this.publishState(state);
      }),
    );
    this.stopped = true;
    if (this.ownsRedis) await closeRedis(this.redis);
  }

  /** Stops the gateway, as `stop()` does (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
