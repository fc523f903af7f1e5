// A worker: a consumer in a consumer group of the combined stream (or of one account's stream).
// Each entry goes to one consumer of the group; it is acknowledged when the handler resolves; a
// handler that throws is retried with backoff up to `maxAttempts` (`attempts.ts`), then the entry
// moves to the group's dead-letter stream. Entries a worker left pending (it died) are claimed by
// the others once idle for `claimIdle`, and entries in hand are touched meanwhile (`claims.ts`).

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { handleEntry } from './attempts.ts';
import { claimIdleEntries, touchEntries } from './claims.ts';
import type { Consumer, Outcome, Reply } from './consumer.ts';
import { buryEntry } from './dead-letters.ts';
import { Keys } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { blockingConnection, closeRedis, connectRedis } from './redis.ts';
import { resolveWorkerLimits, type WorkerOptions, workerMetrics } from './worker-options.ts';

export type { Context, Handler } from './context.ts';
export { type WorkerOptions, workerMetrics } from './worker-options.ts';

/** What a worker announces. */
export interface WorkerEvents {
  /**
   * An entry is done with and acknowledged: `handled` (the handler resolved), `dead` (moved to the
   * dead letters), or `deduplicated` (another account's entry of the same group message handles it).
   */
  settled: [entryId: string, outcome: Outcome];
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
  /** What the claiming and the handling of entries share. */
  private readonly self: Consumer;
  private readonly stopper = new AbortController();
  private readonly inFlight = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(options: WorkerOptions) {
    super();
    const { concurrency, maxAttempts, claimIdle } = resolveWorkerLimits(options);
    this.options = options;
    this.logger = options.logger ?? consoleLogger;
    this.keys = new Keys(options.prefix);
    this.stream = options.account === undefined ? this.keys.combined : this.keys.account(options.account);
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.concurrency = concurrency;
    ({ redis: this.redis, owned: this.ownsRedis } = connectRedis(options.redis, `milky-broker:worker:${this.consumer}`));
    this.reader = blockingConnection(this.redis, `milky-broker:worker:${this.consumer}:reader`);
    this.self = {
      redis: this.redis,
      keys: this.keys,
      stream: this.stream,
      group: options.group,
      consumer: this.consumer,
      maxAttempts,
      claimIdle,
      logger: this.logger,
      metrics: this.metrics,
      bury: (id, fields, error, attempts) => this.bury(id, fields, error, attempts),
    };
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
    const { claimIdle } = this.self;
    const heartbeat = setInterval(() => touchEntries(this.self, this.inFlight), Math.max(10, Math.floor(claimIdle / 3)));
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
          for (const [id, fields] of await claimIdleEntries(this.self, this.concurrency - tasks.size)) track(id, fields, true);
          nextClaim = performance.now() + Math.max(10, Math.floor(claimIdle / 2));
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
            Math.min(this.options.block ?? 5000, Math.max(10, Math.floor(claimIdle / 2))),
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

  private async handle(id: string, fields: string[], redelivered: boolean): Promise<void> {
    this.inFlight.add(id);
    try {
      await handleEntry(this.self, this.options, { id, fields, redelivered }, this.stopper.signal, (entryId, outcome) =>
        this.emit('settled', entryId, outcome),
      );
    } finally {
      this.inFlight.delete(id);
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
