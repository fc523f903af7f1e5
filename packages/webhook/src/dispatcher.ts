// The dispatcher: one body in, one delivery per configured URL out.

import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRetry, type RetryOptions } from './backoff.ts';
import { type Journal, memoryJournal, sqliteJournal } from './journal.ts';
import { consoleLogger, type Logger, redactUrl } from './logger.ts';
import { type BacklogOptions, type Emit, Target, type TargetConfig, type TargetStats, type WebhookEvents } from './target.ts';
import { createTransport } from './transport.ts';

/** One WebHook URL and how to deliver to it; unset fields take the dispatcher's. */
export interface WebhookTarget {
  readonly url: string;
  /** Bearer token for this URL; `null` sends none. Defaults to the dispatcher's `token`. */
  readonly token?: string | null;
  readonly concurrency?: number;
  readonly timeout?: number;
  /** How failed deliveries are retried; see `defaultRetry`. */
  readonly retry?: Partial<RetryOptions>;
  /** How many events, and bytes of them, may wait per URL. */
  readonly backlog?: Partial<BacklogOptions>;
}

/** Options of a `WebhookDispatcher`: where to deliver, with what token, and how to bound, retry and keep deliveries. */
export interface WebhookOptions {
  /** The URLs to deliver to, as strings or with options of their own. */
  readonly targets: ReadonlyArray<string | WebhookTarget>;
  /** Bearer token of every target without one of its own (usually the server's access token). */
  readonly token?: string | null;
  /** Deliveries in flight at once per URL. 1 (the default) delivers in order. */
  readonly concurrency?: number;
  /** Time allowed for one attempt, in ms. Default 10 000. */
  readonly timeout?: number;
  readonly retry?: Partial<RetryOptions>;
  readonly backlog?: Partial<BacklogOptions>;
  /** Where waiting events are kept: `'memory'` (the default), or a SQLite file that survives restarts. */
  readonly store?: 'memory' | { readonly sqlite: string };
  /** Where deliveries given up on and dropped events are logged; `console` by default, without `info`. */
  readonly logger?: Logger;
  /** Source of randomness for backoff jitter (tests make it fixed). */
  readonly random?: () => number;
}

/** What `close()` could not deliver before its deadline. */
export interface CloseReport {
  /** Whether everything was delivered (or given up on) before the deadline. */
  readonly drained: boolean;
  /** Events still waiting at the deadline, per URL; `kept` when a durable store holds them for the next start. */
  readonly undelivered: ReadonlyArray<{ readonly url: string; readonly count: number; readonly kept: boolean }>;
}

const defaultBacklog: BacklogOptions = { limit: 10_000, bytes: 64 * 1024 * 1024, whenFull: 'drop-oldest' };
const userAgent = 'milky-webhook/0.1';

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

function count(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`${what} must be a non-negative integer, got ${value}`);
  return value;
}

function nonNegative(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${what} must be a non-negative number, got ${value}`);
  return value;
}

function resolveTarget(entry: string | WebhookTarget, index: number, options: WebhookOptions): TargetConfig {
  const target = typeof entry === 'string' ? { url: entry } : entry;
  const where = `webhook target ${index + 1}`;
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new TypeError(`${where}: url must be an absolute http(s) URL, got ${JSON.stringify(redactUrl(String(target.url)))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${where}: url must use http or https, got ${url.protocol}`);
  }
  const retry = { ...defaultRetry, ...options.retry, ...target.retry };
  const backlog = { ...defaultBacklog, ...options.backlog, ...target.backlog };
  if (backlog.whenFull !== 'drop-oldest' && backlog.whenFull !== 'refuse-new') {
    throw new TypeError(`${where}: backlog.whenFull must be 'drop-oldest' or 'refuse-new', got ${JSON.stringify(backlog.whenFull)}`);
  }
  return {
    url: url.href,
    token: target.token !== undefined ? target.token : (options.token ?? null),
    concurrency: positiveInteger(target.concurrency ?? options.concurrency ?? 1, `${where}: concurrency`),
    timeout: positiveInteger(target.timeout ?? options.timeout ?? 10_000, `${where}: timeout`),
    retry: {
      limit: count(retry.limit, `${where}: retry.limit`),
      baseDelay: nonNegative(retry.baseDelay, `${where}: retry.baseDelay`),
      maxDelay: nonNegative(retry.maxDelay, `${where}: retry.maxDelay`),
      maxRetryAfter: nonNegative(retry.maxRetryAfter, `${where}: retry.maxRetryAfter`),
    },
    backlog: {
      limit: positiveInteger(backlog.limit, `${where}: backlog.limit`),
      bytes: positiveInteger(backlog.bytes, `${where}: backlog.bytes`),
      whenFull: backlog.whenFull,
    },
  };
}

/**
 * Delivers each pushed event to every configured URL: in order per URL (unless a concurrency above
 * 1 is asked for), retried with exponential backoff and full jitter on network errors, timeouts,
 * 408, 429 and 5xx (honouring `Retry-After`), with a bounded backlog per URL.
 */
export class WebhookDispatcher extends EventEmitter<WebhookEvents> {
  private readonly targets: Target[];
  private readonly journal: Journal;
  private readonly logger: Logger;
  private closed = false;

  constructor(options: WebhookOptions) {
    super();
    this.logger = options.logger ?? consoleLogger;
    const configs = options.targets.map((entry, index) => resolveTarget(entry, index, options));
    const seen = new Set<string>();
    for (const config of configs) {
      if (seen.has(config.url)) throw new TypeError(`webhook target ${redactUrl(config.url)} is listed twice`);
      seen.add(config.url);
    }
    const store = options.store ?? 'memory';
    this.journal = store === 'memory' ? memoryJournal() : sqliteJournal(store.sqlite);
    for (const { target, count } of this.journal.others(configs.map((config) => config.url))) {
      this.logger.warn('the store keeps undelivered events for a URL that is no longer configured', { url: redactUrl(target), count });
    }
    const emit: Emit = (event, ...payload) => {
      (this.emit as (event: string, ...args: unknown[]) => boolean)(event, ...payload);
    };
    this.targets = configs.map(
      (config) =>
        new Target(config, {
          journal: this.journal,
          transport: createTransport({ sockets: config.concurrency, timeout: config.timeout }),
          emit,
          logger: this.logger,
          random: options.random ?? Math.random,
          userAgent,
        }),
    );
  }

  /** Queues one event for every URL. `body` is sent as is: pass the same bytes the WebSocket frame carries. */
  push(body: string | Uint8Array): void {
    const bytes =
      typeof body === 'string'
        ? Buffer.from(body)
        : Buffer.isBuffer(body)
          ? body
          : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (this.closed) {
      for (const target of this.targets) target.drop(bytes, 'closed');
      return;
    }
    const now = Date.now();
    this.journal.batch(() => {
      for (const target of this.targets) target.accept(bytes, now);
    });
  }

  /** Counters, backlog and last error of every URL. */
  stats(): TargetStats[] {
    return this.targets.map((target) => target.stats());
  }

  /**
   * Stops taking events, and delivers what waits until `deadline` ms have passed; then aborts
   * what is left. With a SQLite store, what is left is kept and resumed at the next start.
   */
  async close({ deadline = 5000 }: { deadline?: number } = {}): Promise<CloseReport> {
    if (this.closed) throw new Error('the webhook dispatcher is already closed');
    this.closed = true;
    const timer = new AbortController();
    const drained = await Promise.race([
      Promise.all(this.targets.map((target) => target.idle())).then(() => true),
      sleep(deadline, false, { signal: timer.signal }).catch(() => false),
    ]);
    timer.abort();
    const undelivered = [];
    for (const target of this.targets) {
      const count = await target.stop();
      if (count > 0) undelivered.push({ url: target.label, count, kept: this.journal.durable });
    }
    this.journal.close();
    for (const { url, count, kept } of undelivered) {
      if (kept) this.logger.warn('undelivered events kept for the next start', { url, count });
      else this.logger.error('undelivered events lost at close', { url, count });
    }
    return { drained, undelivered };
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes at once (`await using`), unless already closed. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.closed) await this.close({ deadline: 0 });
  }
}
