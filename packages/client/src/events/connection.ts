// Keeps an event stream open: connects, and after a failure reconnects with exponential backoff
// and full jitter (the count starting over after a connection that stayed up), says so, and in
// `auto` mode falls back from WebSocket to SSE when the server offers no WebSocket (it refuses the
// handshake with a 4xx status; a 5xx is a server failing for now, retried like a lost connection).
// A wrong token (401) ends it: retrying would not help.

import { openWebSocket } from '#platform';
import { MilkyHttpError, MilkyUnauthorizedError } from '../errors.ts';
import { backoffDelay } from '../internal/backoff.ts';
import type { Logger } from '../logger.ts';
import { sleep } from '../sleep.ts';
import type { MilkyEventMap } from './emitter.ts';
import { openSse, type Session } from './transports.ts';

/** How the event stream reconnects after a failure: exponential backoff with full jitter. */
export interface ReconnectOptions {
  /** Cap of the first backoff window, in ms; it doubles with each failed attempt. Default 500. */
  readonly baseDelay?: number;
  /** Largest backoff window, in ms. Default 30 000. */
  readonly maxDelay?: number;
  /** Attempts in a row before giving up. Default: no limit. */
  readonly maxAttempts?: number;
  /** A connection up this long (ms) counts as stable: the next failure starts the backoff over. Default 30 000. */
  readonly stableAfter?: number;
}

/** How `connect()` receives events: the transport, reconnection, and the liveness checks. */
export interface EventStreamOptions {
  /** `websocket`, `sse`, or `auto` (the default): WebSocket, falling back to SSE when the server has none. */
  readonly transport?: 'websocket' | 'sse' | 'auto';
  /** Backoff between attempts to reconnect. */
  readonly reconnect?: ReconnectOptions;
  /** WebSocket: ping interval, in ms. Default 30 000. */
  readonly pingInterval?: number;
  /** WebSocket: how long a pong may take before the connection counts as dead, in ms. Default 10 000. */
  readonly pongTimeout?: number;
  /** SSE: how long the stream may stay silent (servers send keep-alive comments) before it counts as dead, in ms. Default 60 000. */
  readonly idleTimeout?: number;
  /** Time allowed to open a connection, in ms. Default 10 000. */
  readonly handshakeTimeout?: number;
  /** Also send the token as `?access_token=` (for servers that only take it there). Default false. */
  readonly tokenInQuery?: boolean;
  /**
   * SSE: the id of the last event received by an earlier run (`client.lastEventId` kept), sent as
   * `Last-Event-ID` on the first connection so that a server that keeps recent events replays the rest.
   */
  readonly lastEventId?: string | undefined;
}

type Notify = <K extends 'connected' | 'reconnecting' | 'disconnected'>(name: K, ...payload: MilkyEventMap[K]) => void;

export class EventConnection {
  private readonly options: Required<Omit<EventStreamOptions, 'reconnect' | 'lastEventId'>> & { reconnect: Required<ReconnectOptions> };
  private readonly base: URL;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;
  private readonly logger: Logger;
  private readonly ingest: (raw: string) => void;
  private readonly notify: Notify;
  private readonly stopper = new AbortController();
  private session: Session | undefined;
  /** SSE: the id of the last event received (set before the event is handed out). */
  lastEventId: string | undefined;
  private serverRetry: number | undefined;
  private running: Promise<void> | undefined;

  constructor(deps: {
    base: URL;
    token: string | undefined;
    options: EventStreamOptions;
    fetch: typeof fetch;
    logger: Logger;
    ingest: (raw: string) => void;
    notify: Notify;
  }) {
    const { options } = deps;
    this.options = {
      transport: options.transport ?? 'auto',
      pingInterval: options.pingInterval ?? 30_000,
      pongTimeout: options.pongTimeout ?? 10_000,
      idleTimeout: options.idleTimeout ?? 60_000,
      handshakeTimeout: options.handshakeTimeout ?? 10_000,
      tokenInQuery: options.tokenInQuery ?? false,
      reconnect: {
        baseDelay: options.reconnect?.baseDelay ?? 500,
        maxDelay: options.reconnect?.maxDelay ?? 30_000,
        maxAttempts: options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY,
        stableAfter: options.reconnect?.stableAfter ?? 30_000,
      },
    };
    this.lastEventId = options.lastEventId;
    this.base = deps.base;
    this.token = deps.token;
    this.fetch = deps.fetch;
    this.logger = deps.logger;
    this.ingest = deps.ingest;
    this.notify = deps.notify;
  }

  /** Connects; resolves once the first connection is up, rejects if the stream ends before. */
  start(): Promise<void> {
    if (this.running) throw new Error('the event stream is already started');
    return new Promise((resolve, reject) => {
      this.running = this.run(resolve, reject);
    });
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.session?.close();
    await this.running;
  }

  private url(path: string, scheme: 'ws' | 'http'): URL {
    const url = new URL(path, this.base);
    if (scheme === 'ws') url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.options.tokenInQuery && this.token !== undefined) url.searchParams.set('access_token', this.token);
    return url;
  }

  private open(transport: 'websocket' | 'sse'): Promise<Session> {
    const headers = this.token !== undefined ? { authorization: `Bearer ${this.token}` } : {};
    if (transport === 'websocket') {
      return openWebSocket({
        url: this.url('event', 'ws'),
        headers,
        handshakeTimeout: this.options.handshakeTimeout,
        pingInterval: this.options.pingInterval,
        pongTimeout: this.options.pongTimeout,
        fetch: this.fetch,
        onMessage: this.ingest,
      });
    }
    return openSse({
      url: this.url('event', 'http'),
      headers,
      handshakeTimeout: this.options.handshakeTimeout,
      idleTimeout: this.options.idleTimeout,
      lastEventId: this.lastEventId,
      fetch: this.fetch,
      onMessage: this.ingest,
      onId: (id) => {
        this.lastEventId = id;
      },
      onRetry: (milliseconds) => {
        this.serverRetry = milliseconds;
      },
    });
  }

  private async run(started: () => void, failed: (error: Error) => void): Promise<void> {
    const { reconnect } = this.options;
    const stopped = this.stopper.signal;
    let transport: 'websocket' | 'sse' = this.options.transport === 'sse' ? 'sse' : 'websocket';
    let attempt = 0;
    let first = true;
    let error: Error | undefined;
    while (!stopped.aborted) {
      try {
        this.session = await this.open(transport);
      } catch (thrown) {
        error = thrown as Error;
        if (error instanceof MilkyUnauthorizedError) break;
        if (transport === 'websocket' && this.options.transport === 'auto' && error instanceof MilkyHttpError && error.status < 500) {
          this.logger.info('the server offers no WebSocket event stream, using SSE', { status: error.status });
          transport = 'sse';
          continue;
        }
      }
      if (this.session) {
        const session = this.session;
        const opened = performance.now();
        if (stopped.aborted) session.close();
        this.notify('connected', { transport });
        if (first) {
          first = false;
          started();
        }
        error = await session.ended;
        this.session = undefined;
        if (stopped.aborted || error === undefined) break;
        if (performance.now() - opened >= reconnect.stableAfter) attempt = 0;
      }
      if (stopped.aborted) break;
      attempt++;
      if (attempt > reconnect.maxAttempts) break;
      const delay = backoffDelay(attempt - 1, {
        baseDelay: Math.max(this.serverRetry ?? 0, reconnect.baseDelay),
        maxDelay: reconnect.maxDelay,
      });
      this.notify('reconnecting', { attempt, delay, error: error as Error });
      try {
        await sleep(delay, stopped);
      } catch {
        break;
      }
    }
    const final = stopped.aborted ? undefined : error;
    if (first) failed(final ?? new Error('the event stream was closed before it connected'));
    this.notify('disconnected', { error: final });
  }
}
