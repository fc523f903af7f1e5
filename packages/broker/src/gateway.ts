// The gateway: one event stream per protocol side (with @milky/client, `account-streams.ts`), each
// event appended to its account's stream and to the combined stream in one transaction, both
// capped by length (MAXLEN ~, `appender.ts`). The SSE id of the last event appended is kept beside
// them, so that after a restart each stream resumes with Last-Event-ID where the server replays,
// and what cannot be replayed is counted.

import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { MilkyUnauthorizedError } from '@milky/client';
import type { Redis } from 'ioredis';
import { AccountStreams } from './account-streams.ts';
import { Appender, positive } from './appender.ts';
import { type AccountState, type GatewayOptions, gatewayMetrics } from './gateway-options.ts';
import { backoffDelay } from './internal/backoff.ts';
import { redactUrl } from './internal/logger.ts';
import { Keys } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { closeRedis, connectRedis } from './redis.ts';

export { type AccountState, type GatewayOptions, gatewayMetrics } from './gateway-options.ts';

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
  private readonly appender: Appender<AccountState>;
  private readonly streams: AccountStreams;
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
    this.streams = new AccountStreams({
      redis: this.redis,
      keys: this.keys,
      metrics: this.metrics,
      logger: this.logger,
      appender: this.appender,
      reconnect: options.reconnect,
      connected: (uin, name) => this.emit('connected', uin, name),
      stopped: () => this.stopped,
    });
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
            await this.streams.open(account, state);
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
    await this.streams.closeAll();
    await this.flush();
    await Promise.all(
      this.accounts.map((state) => {
        state.connected = false;
        return this.streams.publish(state);
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
