// The event stream of each account: a MilkyClient per protocol side, whose events go to the
// appender. The SSE id of the last event appended is kept in Redis, so that after a restart each
// stream resumes with Last-Event-ID where the server replays; what a reconnection missed and
// could not be replayed is counted, and each account's state is published for `status`.

import { MilkyClient, type ReconnectOptions } from '@milky/client';
import type { Event } from '@milky/types';
import type { Redis } from 'ioredis';
import type { Appender } from './appender.ts';
import type { AccountConfig } from './config.ts';
import type { AccountState } from './gateway-options.ts';
import { redactUrl } from './internal/logger.ts';
import type { Keys } from './keys.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { gapAfter } from './resume.ts';

/** What the account streams use of their gateway. */
export interface StreamsHost {
  readonly redis: Redis;
  readonly keys: Keys;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly appender: Appender<AccountState>;
  readonly reconnect: ReconnectOptions | undefined;
  /** Told each time an account's stream is up (again). */
  connected(uin: number, name: string): void;
  /** Whether the gateway has stopped: its states are then no longer published. */
  stopped(): boolean;
}

/** The event streams of the accounts, one client each. */
export class AccountStreams {
  private readonly host: StreamsHost;
  private readonly clients: MilkyClient[] = [];

  constructor(host: StreamsHost) {
    this.host = host;
  }

  /**
   * Opens one account's event stream: asks the protocol side who it is, resumes where the last
   * event appended for it left off, and appends what comes; rejects when it cannot be reached.
   */
  async open(config: AccountConfig, state: AccountState): Promise<void> {
    const client = new MilkyClient({
      baseUrl: config.url,
      accessToken: config.token,
      logger: this.host.logger,
      events: { transport: config.transport ?? 'sse', ...(this.host.reconnect ? { reconnect: this.host.reconnect } : {}) },
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
    const kept = (await this.host.redis.get(this.host.keys.resume(uin))) ?? undefined;
    let previous = kept;
    let firstAfterConnect = false;
    // An account a gateway served before, over WebSocket: what it missed meanwhile cannot be known.
    let connections = (await this.host.redis.hexists(this.host.keys.accounts, String(uin))) === 1 ? 1 : 0;
    client.on('connected', ({ transport }) => {
      // WebSocket has no ids to resume from: a reconnection (or a restart) may have missed events, how many is unknown.
      if (transport === 'websocket' && connections++ > 0) this.countGap(state, uin, '', undefined);
      state.connected = true;
      firstAfterConnect = true;
      this.host.metrics.set('milky_broker_account_connected', { account: uin }, 1);
      this.publish(state);
      this.host.logger.info('event stream up', { account: uin, name: state.name, transport, resumeFrom: previous ?? null });
      this.host.connected(uin, state.name);
    });
    client.on('reconnecting', ({ attempt, error }) => {
      if (state.connected) {
        state.connected = false;
        this.host.metrics.set('milky_broker_account_connected', { account: uin }, 0);
        this.publish(state);
      }
      this.host.logger.warn('event stream lost, reconnecting', { account: uin, attempt, error: error.message });
    });
    client.on('disconnected', ({ error }) => {
      state.connected = false;
      this.host.metrics.set('milky_broker_account_connected', { account: uin }, 0);
      this.publish(state);
      if (error) this.host.logger.error('event stream ended', { account: uin, error: error.message });
    });
    client.on('event', (event) => {
      const sourceId = client.lastEventId;
      if (firstAfterConnect) {
        firstAfterConnect = false;
        this.countGap(state, uin, previous, sourceId);
      }
      if (sourceId !== undefined) previous = sourceId;
      this.host.appender.append(state, uin, event as Event, sourceId);
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
      this.host.metrics.add('milky_broker_unknown_gaps_total', { account: uin });
      this.host.logger.warn('the protocol side could not replay what was missed; how many events were lost is unknown', { account: uin });
    } else if (gap > 0) {
      state.lost += gap;
      this.host.metrics.add('milky_broker_events_lost_total', { account: uin }, gap);
      this.host.logger.warn('events missed while away could not be replayed', { account: uin, lost: gap });
    } else return;
    this.publish(state);
  }

  /** Records an account's state in Redis, for `milky-broker status` (not once the gateway has stopped). */
  publish(state: AccountState): Promise<void> {
    if (state.uin === undefined || this.host.stopped()) return Promise.resolve();
    const { name, url, connected, lost, unknownGaps } = state;
    return this.host.redis
      .hset(
        this.host.keys.accounts,
        String(state.uin),
        JSON.stringify({ name, url: redactUrl(url), connected, lost, unknownGaps, at: Date.now() }),
      )
      .then(
        () => undefined,
        (error: unknown) => this.host.logger.warn('account state not saved', { account: state.uin, error: String(error) }),
      );
  }

  /** Closes every event stream: nothing more comes in. */
  async closeAll(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.disconnect()));
  }
}
