// One WebHook URL: its queue, its connections, and the loop that delivers, retries and gives up.
// Targets share nothing, so a slow or dead endpoint never delays the others.

import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryOptions } from './backoff.ts';
import type { Item, Journal } from './journal.ts';
import { Queue } from './journal.ts';
import { type Logger, redactUrl } from './logger.ts';
import type { AttemptResult, Transport } from './transport.ts';

/** How much may wait for one URL, and what happens when it is full. */
export interface BacklogOptions {
  /** Most events waiting for this URL (queued or in flight). Default 10 000. */
  readonly limit: number;
  /** Most bytes of events waiting for this URL (queued or in flight); an event larger than this alone is dropped. Default 64 MiB. */
  readonly bytes: number;
  /** When full: drop the oldest waiting event (default), or refuse the new one. */
  readonly whenFull: 'drop-oldest' | 'refuse-new';
}

export interface TargetConfig {
  readonly url: string;
  /** Bearer token sent with each request; `null` sends none. */
  readonly token: string | null;
  /** Deliveries in flight at once; 1 (the default) keeps events in order. */
  readonly concurrency: number;
  /** Time allowed for one attempt, in ms. */
  readonly timeout: number;
  readonly retry: RetryOptions;
  readonly backlog: BacklogOptions;
}

/** What happened to deliveries, per URL. */
export interface TargetStats {
  /** The URL, with credentials and tokens redacted. */
  readonly url: string;
  readonly delivered: number;
  /** Attempts that failed and were tried again. */
  readonly retried: number;
  /** Events given up on: a non-retryable answer, or retries exhausted. */
  readonly failed: number;
  /** Events dropped unsent: the backlog was full, or the dispatcher was closed. */
  readonly dropped: number;
  /** Events waiting: queued or in flight. */
  readonly backlog: number;
  /** Bytes of the events waiting. */
  readonly backlogBytes: number;
  readonly inFlight: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
  readonly lastDeliveredAt: string | null;
}

/** The notifications a dispatcher emits; `url` is always redacted. */
export interface WebhookEvents {
  delivered: [{ url: string; attempts: number; duration: number }];
  retry: [{ url: string; attempt: number; delay: number; reason: string }];
  failed: [{ url: string; attempts: number; reason: string; body: Buffer }];
  dropped: [{ url: string; reason: 'backlog-full' | 'closed'; body: Buffer }];
}

/** How one event ended: delivered, or given up on. */
type Outcome =
  | { readonly delivered: true; readonly attempts: number; readonly duration: number }
  | { readonly delivered: false; readonly attempts: number; readonly reason: string };

export type Emit = <K extends keyof WebhookEvents>(event: K, ...payload: WebhookEvents[K]) => void;

function describe(result: AttemptResult): string {
  if (result.error) {
    const code = (result.error as { code?: string }).code;
    return code && !result.error.message.includes(code) ? `${code}: ${result.error.message}` : result.error.message;
  }
  return `HTTP ${result.status}`;
}

/** Logs a recurring condition at most once per interval, with the count since the last line. */
class Throttled {
  private last = 0;
  private count = 0;
  private readonly interval: number;

  constructor(interval: number) {
    this.interval = interval;
  }

  hit(log: (count: number) => void): void {
    this.count++;
    const now = Date.now();
    if (now - this.last < this.interval) return;
    log(this.count);
    this.last = now;
    this.count = 0;
  }
}

export class Target {
  readonly config: TargetConfig;
  /** The URL as logs and notifications show it. */
  readonly label: string;
  private readonly queue = new Queue();
  private readonly headers: Record<string, string>;
  private readonly journal: Journal;
  private readonly transport: Transport;
  private readonly emit: Emit;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly abort = new AbortController();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly dropNotice = new Throttled(1000);
  private readonly failNotice = new Throttled(1000);
  private inFlight = 0;
  /** Bytes of the events queued or in flight. */
  private waitingBytes = 0;
  private failing = false;
  private counters = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
  private lastError: TargetStats['lastError'] = null;
  private lastDeliveredAt: string | null = null;

  constructor(
    config: TargetConfig,
    deps: { journal: Journal; transport: Transport; emit: Emit; logger: Logger; random: () => number; userAgent: string },
  ) {
    this.config = config;
    this.label = redactUrl(config.url);
    this.journal = deps.journal;
    this.transport = deps.transport;
    this.emit = deps.emit;
    this.logger = deps.logger;
    this.random = deps.random;
    this.headers = {
      'content-type': 'application/json',
      'user-agent': deps.userAgent,
      ...(config.token !== null ? { authorization: `Bearer ${config.token}` } : {}),
    };
    for (const item of this.journal.pending(config.url)) {
      this.queue.push(item);
      this.waitingBytes += item.body.length;
    }
    if (this.queue.size > 0) {
      this.logger.info('resuming undelivered events', { url: this.label, count: this.queue.size });
      this.pump();
    }
  }

  /** Queues an event, applying the backlog policy when it is full, in events or in bytes. */
  accept(body: Buffer, queuedAt: number): void {
    const { limit, bytes, whenFull } = this.config.backlog;
    const full = () => this.queue.size + this.inFlight >= limit || this.waitingBytes + body.length > bytes;
    if (body.length > bytes) {
      this.drop(body, 'backlog-full');
      return;
    }
    while (full()) {
      if (whenFull === 'refuse-new' || this.queue.size === 0) {
        this.drop(body, 'backlog-full');
        return;
      }
      const oldest = this.queue.shift() as Item;
      this.waitingBytes -= oldest.body.length;
      this.journal.remove(oldest.id);
      this.drop(oldest.body, 'backlog-full');
    }
    const id = this.journal.append(this.config.url, body, queuedAt);
    this.queue.push({ id, body, queuedAt });
    this.waitingBytes += body.length;
    this.pump();
  }

  /** Counts, logs and announces an event that will not be sent. */
  drop(body: Buffer, reason: 'backlog-full' | 'closed'): void {
    this.counters.dropped++;
    this.emit('dropped', { url: this.label, reason, body });
    this.dropNotice.hit((count) =>
      this.logger.warn(reason === 'closed' ? 'event dropped: the dispatcher is closed' : 'event dropped: the backlog is full', {
        url: this.label,
        dropped: count,
        policy: this.config.backlog.whenFull,
        limit: this.config.backlog.limit,
        bytes: this.config.backlog.bytes,
      }),
    );
  }

  private pump(): void {
    while (!this.abort.signal.aborted && this.inFlight < this.config.concurrency && this.queue.size > 0) {
      const item = this.queue.shift() as Item;
      this.inFlight++;
      void this.deliver(item).then((outcome) => {
        this.inFlight--;
        this.waitingBytes -= item.body.length;
        if (outcome) this.record(item, outcome);
        this.pump();
        if (this.settled()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  /** Tries, and tries again, until delivered, given up on, or stopped (`undefined`). */
  private async deliver(item: Item): Promise<Outcome | undefined> {
    const started = performance.now();
    const { signal } = this.abort;
    for (let attempt = 1; ; attempt++) {
      const result = await this.transport.post(this.config.url, item.body, this.headers, signal);
      if (signal.aborted) return undefined;
      if (!result.error && result.status !== undefined && result.status >= 200 && result.status < 300) {
        return { delivered: true, attempts: attempt, duration: performance.now() - started };
      }
      const reason = describe(result);
      this.lastError = { message: reason, at: new Date().toISOString() };
      const retryable = result.error !== undefined || isRetryableStatus(result.status as number);
      if (!retryable || attempt > this.config.retry.limit) {
        return { delivered: false, attempts: attempt, reason: retryable ? `${reason} (after ${attempt} attempts)` : reason };
      }
      const retryAfter = parseRetryAfter(result.retryAfter);
      const delay =
        retryAfter !== undefined
          ? Math.min(retryAfter, this.config.retry.maxRetryAfter)
          : backoffDelay(attempt - 1, this.config.retry, this.random);
      this.counters.retried++;
      this.emit('retry', { url: this.label, attempt, delay, reason });
      if (!this.failing) {
        this.failing = true;
        this.logger.warn('delivery failing, retrying', { url: this.label, reason, delay });
      }
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        return undefined;
      }
    }
  }

  /** Removes a finished event from the store, counts it and announces it. */
  private record(item: Item, outcome: Outcome): void {
    this.journal.remove(item.id);
    if (outcome.delivered) {
      this.counters.delivered++;
      this.lastDeliveredAt = new Date().toISOString();
      if (this.failing) {
        this.failing = false;
        this.logger.info('delivery recovered', { url: this.label });
      }
      this.emit('delivered', { url: this.label, attempts: outcome.attempts, duration: outcome.duration });
      return;
    }
    this.counters.failed++;
    this.emit('failed', { url: this.label, attempts: outcome.attempts, reason: outcome.reason, body: item.body });
    this.failNotice.hit((count) => this.logger.error('event not delivered', { url: this.label, reason: outcome.reason, failed: count }));
  }

  stats(): TargetStats {
    return {
      url: this.label,
      ...this.counters,
      backlog: this.queue.size + this.inFlight,
      backlogBytes: this.waitingBytes,
      inFlight: this.inFlight,
      lastError: this.lastError,
      lastDeliveredAt: this.lastDeliveredAt,
    };
  }

  /** Nothing in flight, and nothing queued that will still be sent. */
  private settled(): boolean {
    return this.inFlight === 0 && (this.queue.size === 0 || this.abort.signal.aborted);
  }

  /** Resolves once nothing is queued or in flight (or, once stopped, in flight). */
  idle(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: aborts attempts and waits in progress. Returns how many events were left waiting. */
  async stop(): Promise<number> {
    const waiting = this.queue.size + this.inFlight;
    this.abort.abort();
    await this.idle();
    this.transport.close();
    return waiting;
  }
}
