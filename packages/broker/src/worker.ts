// A worker: a consumer in a consumer group of the combined stream (or of one account's stream).
// Each entry goes to one consumer of the group; it is acknowledged when the handler resolves; a
// handler that throws is retried with backoff up to `maxAttempts` (the count kept in Redis, so it
// survives the worker), then the entry moves to the group's dead-letter stream. Entries a worker
// left pending (it died) are claimed by the others once idle for `claimIdle`; while a handler runs,
// its entry is touched so that it is not claimed from a live worker.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Calls } from './calls.ts';
import { type Context, type Handler, noCalls } from './context.ts';
import { buryEntry } from './dead-letters.ts';
import { decodeEntry, EntryError, type EventEntry, groupMessageKey } from './entry.ts';
import { backoffDelay } from './internal/backoff.ts';
import { Keys } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { claimOnce } from './once.ts';
import { blockingConnection, closeRedis, connectRedis, type RedisLike } from './redis.ts';

export type { Context, Handler } from './context.ts';

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

type Reply = [id: string, fields: string[]];

/** What a worker announces. */
export interface WorkerEvents {
  /**
   * An entry is done with and acknowledged: `handled` (the handler resolved), `dead` (moved to the
   * dead letters), or `deduplicated` (another account's entry of the same group message handles it).
   */
  settled: [entryId: string, outcome: 'handled' | 'dead' | 'deduplicated'];
}

/** A consumer of a consumer group: handles entries, acknowledges, retries, buries and claims. */
export class Worker extends EventEmitter<WorkerEvents> {
  readonly metrics = new Metrics(workerMetrics);
  readonly keys: Keys;
  readonly stream: string;
  readonly consumer: string;
  private readonly options: WorkerOptions;
  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly ownsRedis: boolean;
  private readonly logger: Logger;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly claimIdle: number;
  private readonly stopper = new AbortController();
  private readonly inFlight = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(options: WorkerOptions) {
    super();
    if (!/^[\w.:-]{1,64}$/.test(options.group))
      throw new TypeError(`group: expected 1 to 64 letters, digits or ._:-, got ${JSON.stringify(options.group)}`);
    this.options = options;
    this.logger = options.logger ?? consoleLogger;
    this.keys = new Keys(options.prefix);
    this.stream = options.account === undefined ? this.keys.combined : this.keys.account(options.account);
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.concurrency = options.concurrency ?? 8;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.claimIdle = options.claimIdle ?? 60_000;
    for (const [field, value] of [
      ['concurrency', this.concurrency],
      ['maxAttempts', this.maxAttempts],
      ['claimIdle', this.claimIdle],
    ] as const) {
      if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${field}: expected a positive integer, got ${value}`);
    }
    ({ redis: this.redis, owned: this.ownsRedis } = connectRedis(options.redis, `milky-broker:worker:${this.consumer}`));
    this.reader = blockingConnection(this.redis, `milky-broker:worker:${this.consumer}:reader`);
  }

  /** Creates the group when missing and starts consuming; resolves once the group exists. */
  async start(): Promise<void> {
    if (this.running) throw new Error('the worker is already started');
    try {
      await this.redis.xgroup('CREATE', this.stream, this.options.group, this.options.start === 'all' ? '0' : '$', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    await this.redis.sadd(this.keys.groups, `${this.stream} ${this.options.group}`);
    this.running = this.run();
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    const heartbeat = setInterval(() => this.touch(), Math.max(10, Math.floor(this.claimIdle / 3)));
    const tasks = new Set<Promise<void>>();
    const track = (id: string, fields: string[], redelivered: boolean) => {
      const task: Promise<void> = this.handle(id, fields, redelivered)
        .catch((error: unknown) =>
          this.logger.error('an entry could not be handled; it stays pending', { entry: id, error: String(error) }),
        )
        .finally(() => tasks.delete(task));
      tasks.add(task);
    };
    let nextClaim = 0;
    try {
      while (!signal.aborted) {
        if (tasks.size >= this.concurrency) {
          await Promise.race(tasks);
          continue;
        }
        if (performance.now() >= nextClaim) {
          for (const [id, fields] of await this.claimIdleEntries(this.concurrency - tasks.size)) track(id, fields, true);
          nextClaim = performance.now() + Math.max(10, Math.floor(this.claimIdle / 2));
          continue;
        }
        let reply: unknown;
        try {
          reply = await this.reader.xreadgroup(
            'GROUP',
            this.options.group,
            this.consumer,
            'COUNT',
            this.concurrency - tasks.size,
            'BLOCK',
            Math.min(this.options.block ?? 5000, Math.max(10, Math.floor(this.claimIdle / 2))),
            'STREAMS',
            this.stream,
            '>',
          );
        } catch (error) {
          if (signal.aborted) break;
          this.logger.error('reading the stream failed', { stream: this.stream, error: String(error) });
          await sleep(1000, undefined, { signal }).catch(() => {});
          continue;
        }
        for (const [id, fields] of ((reply as Array<[string, Reply[]]> | null)?.[0]?.[1] ?? []) as Reply[]) track(id, fields, false);
      }
    } finally {
      await Promise.all(tasks);
      clearInterval(heartbeat);
    }
  }

  /** Takes over up to `count` entries other consumers left idle for `claimIdle` (a worker that died). */
  private async claimIdleEntries(count: number): Promise<Reply[]> {
    let reply: [string, Array<Reply | null>, string[]?];
    try {
      reply = (await this.redis.xautoclaim(
        this.stream,
        this.options.group,
        this.consumer,
        this.claimIdle,
        '0-0',
        'COUNT',
        count,
      )) as typeof reply;
    } catch (error) {
      this.logger.error('claiming idle entries failed', { stream: this.stream, error: String(error) });
      return [];
    }
    const [, claimed, deleted = []] = reply;
    if (deleted.length > 0) {
      this.metrics.add('milky_broker_trimmed_pending_total', {}, deleted.length);
      this.logger.error('pending entries were trimmed from the stream before they were handled (raise maxLen)', {
        stream: this.stream,
        entries: deleted,
      });
    }
    const entries = claimed.filter((entry): entry is Reply => entry !== null);
    if (entries.length > 0) {
      this.metrics.add('milky_broker_claimed_total', {}, entries.length);
      this.logger.warn('claimed entries another consumer left idle', { stream: this.stream, entries: entries.map(([id]) => id) });
    }
    // An entry whose workers keep dying while handling it (it crashes them) is not handed to another
    // forever: delivered more than maxAttempts times, it goes to the dead letters.
    const handle: Reply[] = [];
    for (const [id, fields] of entries) {
      const [info] = (await this.redis.xpending(this.stream, this.options.group, id, id, 1)) as Array<[string, string, number, number]>;
      const deliveries = Number(info?.[3] ?? 0);
      if (deliveries > this.maxAttempts) {
        const error = `delivered ${deliveries} times without being acknowledged (the workers handling it stopped)`;
        this.logger.error('an entry no worker could finish moves to the dead letters', { entry: id, deliveries });
        await this.bury(id, fields, error, deliveries - 1);
      } else handle.push([id, fields]);
    }
    return handle;
  }

  /** Resets the idle time of the entries being handled, so that they are not claimed from a live worker. */
  private touch(): void {
    if (this.inFlight.size === 0) return;
    this.redis
      .xclaim(this.stream, this.options.group, this.consumer, 0, ...this.inFlight, 'JUSTID')
      .catch((error: unknown) => this.logger.warn('touching entries in hand failed', { error: String(error) }));
  }

  private async handle(id: string, fields: string[], redelivered: boolean): Promise<void> {
    this.inFlight.add(id);
    try {
      await this.handleEntry(id, fields, redelivered);
    } finally {
      this.inFlight.delete(id);
    }
  }

  private async handleEntry(id: string, fields: string[], redelivered: boolean): Promise<void> {
    let entry: EventEntry;
    try {
      entry = decodeEntry(id, fields);
    } catch (error) {
      if (!(error instanceof EntryError)) throw error;
      this.logger.error('an entry that is not an event, moved to the dead letters', { entry: id, error: error.message });
      return this.bury(id, fields, error.message, 0);
    }
    let accounts: readonly number[] = [entry.account];
    const message = this.options.oncePerGroupMessage ? groupMessageKey(entry.event) : undefined;
    if (message) {
      const claim = await claimOnce(
        this.redis,
        {
          once: this.keys.once(this.options.group, message.groupId, message.messageSeq),
          seen: this.keys.seen(message.groupId, message.messageSeq),
        },
        id,
        entry.account,
        (this.options.onceTtl ?? 3600) * 1000,
      );
      if (!claim.mine) {
        await this.redis.xack(this.stream, this.options.group, id);
        this.metrics.add('milky_broker_deduplicated_total');
        this.emit('settled', id, 'deduplicated');
        return;
      }
      accounts = [entry.account, ...claim.accounts.filter((uin) => uin !== entry.account)];
    }
    const attemptsKey = this.keys.attempts(this.options.group);
    // A new entry has no failures yet; one claimed or read again may have some, kept in Redis.
    let failures = redelivered ? Number((await this.redis.hget(attemptsKey, id)) ?? 0) : 0;
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      const calls = this.options.calls;
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
        await this.options.handler(entry.event, context);
      } catch (error) {
        failures = await this.redis.hincrby(attemptsKey, id, 1);
        this.metrics.add('milky_broker_handler_failures_total');
        const reason = error instanceof Error ? error.message : String(error);
        if (failures >= this.maxAttempts) {
          this.logger.error('a handler failed on its last attempt; the entry moves to the dead letters', {
            entry: id,
            attempts: failures,
            error: reason,
          });
          return this.bury(id, fields, reason, failures);
        }
        const delay = backoffDelay(failures - 1, { baseDelay: this.options.retryDelay ?? 1000, maxDelay: 30_000 });
        this.logger.warn('a handler failed; retrying', { entry: id, attempt: failures, delay, error: reason });
        await sleep(delay, undefined, { signal }).catch(() => {});
        continue;
      }
      if (failures === 0 && !redelivered) await this.redis.xack(this.stream, this.options.group, id);
      else await this.redis.multi().xack(this.stream, this.options.group, id).hdel(attemptsKey, id).exec();
      this.metrics.add('milky_broker_handled_total');
      this.emit('settled', id, 'handled');
      return;
    }
  }

  /** Moves an entry to the group's dead-letter stream and acknowledges it, in one transaction. */
  private async bury(id: string, fields: string[], error: string, attempts: number): Promise<void> {
    await buryEntry(this.redis, this.keys, { group: this.options.group, stream: this.stream }, { id, fields, error, attempts });
    this.metrics.add('milky_broker_dead_letters_total');
    this.emit('settled', id, 'dead');
  }

  /**
   * Stops: reads nothing more, lets the handlers in hand finish (and acknowledges them), and
   * closes Redis. Entries in a retry wait stay pending, for this group's other workers to claim.
   */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.reader.disconnect();
    await this.running?.catch((error: unknown) => this.logger.error('the worker ended with an error', { error: String(error) }));
    await this.leave();
    if (this.ownsRedis) await closeRedis(this.redis);
  }

  /** Leaves the group when nothing is pending with this consumer (else its entries wait for a claim). */
  private async leave(): Promise<void> {
    if (!this.running) return;
    try {
      const pending = (await this.redis.xpending(this.stream, this.options.group, '-', '+', 1, this.consumer)) as unknown[];
      if (pending.length === 0) await this.redis.xgroup('DELCONSUMER', this.stream, this.options.group, this.consumer);
    } catch (error) {
      this.logger.warn('could not leave the consumer group', { error: String(error) });
    }
  }

  /** Stops the worker, as `stop()` does (for `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
