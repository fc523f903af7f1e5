// Connection hygiene of an HTTP server: how long a client may take to send its headers and its
// request, how long an idle keep-alive connection or a silent socket stays open, and how many
// connections are served at once, in all and per address before they are admitted. A refused
// connection is logged (at most once per interval, with how many were refused since), since a
// full server is something its operator must see.

import http from 'node:http';
import type { Logger } from '@milky/webhook';
import { limitPendingPerAddress } from './pending.ts';

/** Bounds on the connections of an HTTP server: timeouts of every phase, and how many are served at once. */
export interface ConnectionOptions {
  /** Most time a client may take to send a request's headers, in ms. Default 10 000. */
  readonly headersTimeout?: number | undefined;
  /** Most time a client may take to send a whole request (headers and body), in ms. Default 60 000. */
  readonly requestTimeout?: number | undefined;
  /** How long a kept-alive connection may wait for its next request, in ms. Default 5000. */
  readonly keepAliveTimeout?: number | undefined;
  /**
   * How long a socket may stay silent (nothing read, nothing written) before it is closed, in ms,
   * which also bounds how long an API handler may work before it answers; SSE streams stay busy
   * with their keep-alive comments, WebSockets with their heartbeat. Default 60 000.
   */
  readonly idleTimeout?: number | undefined;
  /** Most connections open at once (event streams included); more are refused, and logged. Default 512. */
  readonly maxConnections?: number | undefined;
  /**
   * Most connections from one remote address that no request or upgrade has been admitted on yet
   * (none has passed the token check); more from that address are refused, and logged, so that one
   * process cannot hold every slot of `maxConnections`. Admitted connections (event streams,
   * kept-alive API callers) do not count. At most `maxConnections`. Default 128, or
   * `maxConnections` when that is smaller.
   */
  readonly maxPendingPerAddress?: number | undefined;
}

/** Why a connection was refused: the server at `maxConnections`, or its address at `maxPendingPerAddress`. */
export type RefusalReason = 'connections' | 'pending';

/** Every connection bound, none left to its default. */
export type ConnectionLimits = { readonly [K in keyof ConnectionOptions]-?: number };

/** The connection bounds a server has unless told otherwise. */
export const defaultConnectionLimits: ConnectionLimits = {
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 5000,
  idleTimeout: 60_000,
  maxConnections: 512,
  maxPendingPerAddress: 128,
};

/** The limits, defaults filled in, each checked to be a positive integer. */
export function resolveConnectionLimits(options: ConnectionOptions): ConnectionLimits {
  const limits = { ...defaultConnectionLimits };
  for (const key of Object.keys(defaultConnectionLimits) as Array<keyof ConnectionLimits>) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) throw new TypeError(`${key} must be a positive integer, got ${String(value)}`);
    limits[key] = value;
  }
  if (options.maxPendingPerAddress === undefined)
    limits.maxPendingPerAddress = Math.min(limits.maxPendingPerAddress, limits.maxConnections);
  if (limits.maxPendingPerAddress > limits.maxConnections) {
    throw new TypeError(
      `maxPendingPerAddress (${limits.maxPendingPerAddress}) must not be larger than maxConnections (${limits.maxConnections})`,
    );
  }
  if (limits.headersTimeout > limits.requestTimeout) {
    throw new TypeError(`headersTimeout (${limits.headersTimeout}) must not be longer than requestTimeout (${limits.requestTimeout})`);
  }
  return limits;
}

/** How often the server looks for requests past their timeouts: often enough to keep them. */
function checkingInterval(limits: ConnectionLimits): number {
  return Math.max(1, Math.min(1000, Math.floor(limits.headersTimeout / 4)));
}

/** How often a refused connection is logged, at most, in ms. */
const refusalLogInterval = 10_000;

/** Logs refusals at most once per interval, with how many there were since the last line. */
function refusalLog(logger: Logger, message: string, limit: number): (remoteAddress: string | undefined) => void {
  let refused = 0;
  let lastLog = Number.NEGATIVE_INFINITY;
  return (remoteAddress) => {
    refused++;
    const now = performance.now();
    if (now - lastLog < refusalLogInterval) return;
    lastLog = now;
    logger.warn(message, { remote: remoteAddress, limit, refused });
    refused = 0;
  };
}

/**
 * Applies `limits` to a server. The time between checks of the header and request timeouts is
 * fixed when a server is created: `createLimitedServer` sets it too. A connection stops counting
 * against `maxPendingPerAddress` once `admitConnection` is called with its socket.
 */
export function limitConnections(
  server: http.Server,
  limits: ConnectionLimits,
  logger: Logger,
  onRefused?: (reason: RefusalReason) => void,
): void {
  server.headersTimeout = limits.headersTimeout;
  server.requestTimeout = limits.requestTimeout;
  server.keepAliveTimeout = limits.keepAliveTimeout;
  // With no 'timeout' listener, a socket silent this long is destroyed.
  server.setTimeout(limits.idleTimeout);
  server.maxConnections = limits.maxConnections;
  const full = refusalLog(logger, 'connection refused: the server is at its connection limit', limits.maxConnections);
  server.on('drop', (data?: { remoteAddress?: string }) => {
    onRefused?.('connections');
    full(data?.remoteAddress);
  });
  const crowded = refusalLog(
    logger,
    'connection refused: its address has as many connections not yet admitted as it may have',
    limits.maxPendingPerAddress,
  );
  limitPendingPerAddress(server, limits.maxPendingPerAddress, (remoteAddress) => {
    onRefused?.('pending');
    crowded(remoteAddress);
  });
}

/** A node:http server with `limits` applied. */
export function createLimitedServer(
  limits: ConnectionLimits,
  logger: Logger,
  options: http.ServerOptions = {},
  onRefused?: (reason: RefusalReason) => void,
) {
  const server = http.createServer({ ...options, connectionsCheckingInterval: checkingInterval(limits) });
  limitConnections(server, limits, logger, onRefused);
  return server;
}
