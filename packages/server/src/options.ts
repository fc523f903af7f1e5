import type { Logger, WebhookOptions } from '@milky/webhook';
import { type ConnectionLimits, type ConnectionOptions, resolveConnectionLimits } from './connections.ts';
import { normalizePrefix } from './internal/prefix.ts';

/**
 * How the server is configured. The connection limits (`headersTimeout`, `requestTimeout`,
 * `keepAliveTimeout`, `idleTimeout`, `maxConnections`, `maxPendingPerAddress`) apply to the server `listen()` starts;
 * give an attached server its own with `limitConnections`.
 */
export interface ServerOptions extends ConnectionOptions {
  /**
   * The access token apps must present: `Authorization: Bearer <token>` on every call, or
   * `?access_token=` on `/event`. Without one, anyone who reaches the port may call.
   */
  readonly accessToken?: string | undefined;
  /** Address `listen()` binds. Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Port `listen()` binds; 0 picks a free one. Default 3000. */
  readonly port?: number | undefined;
  /** Path every endpoint sits under, such as `/milky`. Default none. */
  readonly prefix?: string | undefined;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 16 MiB. */
  readonly bodyLimit?: number | undefined;
  /** Origins allowed to call from a browser (CORS); `'*'` allows any. Default none. */
  readonly cors?: readonly string[] | undefined;
  /** WebHook URLs every event is also pushed to; the access token is their default token. */
  readonly webhook?: Omit<WebhookOptions, 'logger'> | readonly string[] | undefined;
  /** Where the server logs; warnings and errors to the console by default. */
  readonly logger?: Logger | undefined;
  /**
   * Check every handler's result against the protocol, answering -500 (and logging what is
   * wrong) when it does not match. Meant for development and tests. Default false.
   */
  readonly validateOutput?: boolean | undefined;
  /** WebSocket: ping interval, in ms, after which a peer that did not answer the last ping is dropped. Default 30 000. */
  readonly heartbeatInterval?: number | undefined;
  /** Most bytes waiting to be sent to one client; a client that falls further behind is disconnected. Default 8 MiB. */
  readonly clientBufferLimit?: number | undefined;
  /** SSE: interval of keep-alive comments, in ms. Default 15 000. */
  readonly sseKeepAliveInterval?: number | undefined;
  /** SSE: the `retry:` hint sent to clients, in ms. Default 3000. */
  readonly sseRetry?: number | undefined;
  /**
   * SSE: how many recent events are kept to replay to a client that reconnects with `Last-Event-ID`
   * (from the first SSE connection on: before it, no client holds an id to resume from). Default 1000.
   */
  readonly sseReplay?: number | undefined;
  /**
   * SSE: most bytes of recent events kept for replay; the oldest go first (they are kept in a ring,
   * which may hold up to about two events' worth less). Default `clientBufferLimit` (8 MiB), so
   * that a replay never puts a client further behind than it may fall.
   */
  readonly sseReplayBytes?: number | undefined;
  /**
   * Largest event `emit()` sends, in bytes of JSON; a larger one is refused (`emit()` throws a
   * `RangeError`, and the refusal is counted and logged). At most `clientBufferLimit`.
   * Default 1 MiB (or `clientBufferLimit` when that is smaller).
   */
  readonly maxEventBytes?: number | undefined;
  /** Serve `GET <prefix>/health` (no token needed). Default true. */
  readonly health?: boolean | undefined;
  /** Serve `GET <prefix>/metrics` in the Prometheus text format (token needed). Default true. */
  readonly metrics?: boolean | undefined;
  /** Whether the bot is logged in when the server starts. Default true. */
  readonly loggedIn?: boolean | undefined;
}

export interface ResolvedOptions {
  readonly connections: ConnectionLimits;
  readonly sseReplayBytes: number;
  readonly maxEventBytes: number;
  readonly accessToken: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  readonly bodyLimit: number;
  readonly cors: readonly string[];
  readonly webhook: Omit<WebhookOptions, 'logger'> | undefined;
  readonly validateOutput: boolean;
  readonly heartbeatInterval: number;
  readonly clientBufferLimit: number;
  readonly sseKeepAliveInterval: number;
  readonly sseRetry: number;
  readonly sseReplay: number;
  readonly health: boolean;
  readonly metrics: boolean;
  readonly loggedIn: boolean;
}

function integer(value: number | undefined, fallback: number, what: string, minimum: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < minimum) {
    throw new TypeError(`${what} must be an integer of at least ${minimum}, got ${String(value)}`);
  }
  return resolved;
}

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  if (options.accessToken !== undefined && (typeof options.accessToken !== 'string' || options.accessToken === '')) {
    throw new TypeError('accessToken must be a non-empty string when given');
  }
  const cors = options.cors ?? [];
  for (const origin of cors) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
      throw new TypeError(`cors origins are '*' or scheme://host[:port] without a path, got ${JSON.stringify(origin)}`);
    }
  }
  const connections = resolveConnectionLimits(options);
  const clientBufferLimit = integer(options.clientBufferLimit, 8 * 1024 * 1024, 'clientBufferLimit', 1024);
  const maxEventBytes = integer(options.maxEventBytes, Math.min(1024 * 1024, clientBufferLimit), 'maxEventBytes', 64);
  if (maxEventBytes > clientBufferLimit) {
    throw new TypeError(`maxEventBytes (${maxEventBytes}) must not be larger than clientBufferLimit (${clientBufferLimit})`);
  }
  const sseKeepAliveInterval = integer(options.sseKeepAliveInterval, 15_000, 'sseKeepAliveInterval', 1);
  if (sseKeepAliveInterval >= connections.idleTimeout) {
    throw new TypeError(
      `sseKeepAliveInterval (${sseKeepAliveInterval}) must be shorter than idleTimeout (${connections.idleTimeout}), or idle streams are closed`,
    );
  }
  const webhook =
    options.webhook === undefined ? undefined : Array.isArray(options.webhook) ? { targets: options.webhook } : options.webhook;
  return {
    accessToken: options.accessToken,
    host: options.host ?? '127.0.0.1',
    port: integer(options.port, 3000, 'port', 0),
    prefix: normalizePrefix(options.prefix),
    bodyLimit: integer(options.bodyLimit, 16 * 1024 * 1024, 'bodyLimit', 2),
    cors,
    webhook: webhook as Omit<WebhookOptions, 'logger'> | undefined,
    validateOutput: options.validateOutput ?? false,
    heartbeatInterval: integer(options.heartbeatInterval, 30_000, 'heartbeatInterval', 1),
    clientBufferLimit,
    sseKeepAliveInterval,
    sseRetry: integer(options.sseRetry, 3000, 'sseRetry', 0),
    sseReplay: integer(options.sseReplay, 1000, 'sseReplay', 0),
    sseReplayBytes: integer(options.sseReplayBytes, clientBufferLimit, 'sseReplayBytes', 0),
    maxEventBytes,
    connections,
    health: options.health ?? true,
    metrics: options.metrics ?? true,
    loggedIn: options.loggedIn ?? true,
  };
}
