// The protocol side's transport: a Milky server that an implementation fills with handlers and
// feeds with events. It listens on its own, attaches to an existing http.Server, or serves the
// requests a framework hands it (`serveRequest()`; `@milky/server/express` makes an express router of it).

import { once } from 'node:events';
import type http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiName, type Event, httpAnswers } from '@milky/types';
import { type Logger, type CloseReport as WebhookCloseReport, WebhookDispatcher } from '@milky/webhook';
import { WebSocketServer } from 'ws';
import { ApiEndpoint, type ApiHandler, type ApiHandlers } from './api.ts';
import { bearerToken, queryToken, tokenCheck } from './auth.ts';
import { createLimitedServer } from './connections.ts';
import { answerPreflight, applyCors, isPreflight } from './cors.ts';
import { EventHub } from './events/hub.ts';
import { SseClients } from './events/sse.ts';
import { WebSocketClients } from './events/websocket.ts';
import { namedLogger } from './internal/logger.ts';
import { normalizePrefix } from './internal/prefix.ts';
import { serviceUnavailable } from './internal/statuses.ts';
import { Metrics, type MetricsSnapshot, prometheus } from './metrics.ts';
import { type ResolvedOptions, resolveOptions, type ServerOptions } from './options.ts';
import { admitConnection } from './pending.ts';
import { send, sendStatus } from './respond.ts';
import { isWebSocketUpgrade, refuseUpgrade, serveAsPlainRequest } from './upgrade.ts';

/** Why a request or an upgrade is refused before it reaches its handler. */
interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly headers: Record<string, string>;
}

/** Options of `attach()`: where on an existing HTTP server the endpoints sit. */
export interface AttachOptions {
  /** Path the endpoints sit under on this server; the server's `prefix` by default. */
  readonly prefix?: string;
  /** Also serve plain requests (APIs, SSE, health, metrics); false when an express router serves them. Default true. */
  readonly requests?: boolean;
}

/** What `close()` left unfinished at its deadline. */
export interface ServerCloseReport {
  /** API calls still running at the deadline, whose handlers were told to stop (their `signal` aborted). */
  readonly abortedCalls: number;
  /** What the WebHook dispatcher could not deliver, when there is one. */
  readonly webhook: WebhookCloseReport | undefined;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The endpoints, relative to the prefix. */
function isEndpoint(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/event' || pathname === '/health' || pathname === '/metrics';
}

/**
 * The path, relative to `prefix`, of a request this server serves, or `undefined` when it is not
 * one: on its own server, anything under the prefix; attached without a prefix, the endpoints only.
 */
function claim(url: string, prefix: string, everything: boolean): string | undefined {
  let path: string;
  if (prefix === '') path = url;
  else if (url === prefix) path = '/';
  else {
    const next = url.charAt(prefix.length);
    if (!url.startsWith(prefix) || (next !== '/' && next !== '?')) return undefined;
    path = next === '?' ? `/${url.slice(prefix.length)}` : url.slice(prefix.length);
  }
  if (everything || prefix !== '') return path;
  return isEndpoint(path.split('?')[0] ?? '') ? path : undefined;
}

/** The protocol side's transport: typed API handlers, events over WebSocket, SSE and WebHooks, and every rule of Milky's communication in place. */
export class MilkyServer {
  private readonly options: ResolvedOptions;
  private readonly logger: Logger;
  private readonly metricsStore = new Metrics();
  private readonly checkToken: (presented: string | undefined) => boolean;
  private readonly api: ApiEndpoint;
  private readonly websocket: WebSocketClients;
  private readonly sse: SseClients;
  private readonly hub: EventHub;
  private readonly webhook: WebhookDispatcher | undefined;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  private readonly attached: http.Server[] = [];
  private ownServer: http.Server | undefined;
  private isLoggedIn: boolean;
  private closing = false;

  constructor(options: ServerOptions = {}) {
    this.options = resolveOptions(options);
    this.logger = options.logger ?? namedLogger('server');
    this.isLoggedIn = this.options.loggedIn;
    this.checkToken = tokenCheck(this.options.accessToken);
    this.api = new ApiEndpoint({
      bodyLimit: this.options.bodyLimit,
      validateOutput: this.options.validateOutput,
      logger: this.logger,
      metrics: this.metricsStore,
      loggedIn: () => this.isLoggedIn,
    });
    this.websocket = new WebSocketClients({
      heartbeatInterval: this.options.heartbeatInterval,
      bufferLimit: this.options.clientBufferLimit,
      logger: this.logger,
      metrics: this.metricsStore,
    });
    this.sse = new SseClients({
      keepAliveInterval: this.options.sseKeepAliveInterval,
      retry: this.options.sseRetry,
      replay: this.options.sseReplay,
      replayBytes: this.options.sseReplayBytes,
      bufferLimit: this.options.clientBufferLimit,
      logger: this.logger,
      metrics: this.metricsStore,
    });
    const webhook = this.options.webhook;
    this.webhook = webhook
      ? new WebhookDispatcher({ token: this.options.accessToken ?? null, ...webhook, logger: this.logger })
      : undefined;
    this.hub = new EventHub({
      websocket: this.websocket,
      sse: this.sse,
      webhook: this.webhook,
      metrics: this.metricsStore,
      logger: this.logger,
      maxEventBytes: this.options.maxEventBytes,
    });
  }

  /** Registers the handler of one API. */
  handle<N extends ApiName>(name: N, handler: ApiHandler<N>): this {
    this.api.register(name, handler);
    return this;
  }

  /** Registers the handlers of several APIs at once. */
  handleAll(handlers: ApiHandlers): this {
    for (const [name, handler] of Object.entries(handlers)) this.api.register(name as ApiName, handler as ApiHandler<ApiName>);
    return this;
  }

  /** The APIs this server offers (those with a handler), in protocol order. */
  get implementedApis(): ApiName[] {
    return this.api.registered();
  }

  /** Whether the bot is logged in; while it is not, every API answers -403. */
  get loggedIn(): boolean {
    return this.isLoggedIn;
  }

  /** Says whether the bot is logged in; while it is not, every API answers -403. */
  setLoggedIn(loggedIn: boolean): void {
    if (loggedIn !== this.isLoggedIn) this.logger.info(loggedIn ? 'bot logged in: APIs open' : 'bot not logged in: APIs answer -403');
    this.isLoggedIn = loggedIn;
  }

  /**
   * Sends an event to every WebSocket and SSE client and every WebHook. It is validated first:
   * an event that breaks the protocol throws a `MilkyValidationError` naming the field.
   */
  emit(event: Event): void {
    this.hub.emit(event);
  }

  /** What the server has done so far. */
  metrics(): MetricsSnapshot {
    return this.metricsStore.snapshot({ websocket: this.websocket.size, sse: this.sse.size }, this.webhook?.stats() ?? []);
  }

  /** The path every endpoint sits under, normalized (`''` or `/a/b`). */
  get prefix(): string {
    return this.options.prefix;
  }

  /** The address `listen()` bound. */
  get address(): AddressInfo | undefined {
    const address = this.ownServer?.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  /** Starts an HTTP server of its own on `host` and `port`. */
  async listen(): Promise<AddressInfo> {
    if (this.ownServer) throw new Error('the server is already listening');
    if (this.closing) throw new Error('the server is closed');
    const server = this.createHttpServer();
    this.ownServer = server;
    this.attach(server);
    server.listen(this.options.port, this.options.host);
    await once(server, 'listening');
    const address = this.address as AddressInfo;
    this.logger.info('listening', { host: address.address, port: address.port, prefix: this.options.prefix || '/' });
    return address;
  }

  /**
   * A node:http server with this server's connection limits, for an implementation that serves
   * more than the Milky endpoints on its port: `attach()` the result. Refused connections are
   * counted in the metrics.
   */
  createHttpServer(): http.Server {
    return createLimitedServer(
      this.options.connections,
      this.logger,
      // Only WebSocket upgrades are upgrades; anything else (`Upgrade: h2c`) stays a request.
      { shouldUpgradeCallback: (request: IncomingMessage) => isWebSocketUpgrade(request) } as http.ServerOptions,
      (reason) => this.metricsStore.refusedConnection(reason),
    );
  }

  /**
   * Serves the endpoints on an existing `http.Server`, under `prefix`: its other requests and
   * upgrades still reach the listeners it had. With `requests: false`, only WebSocket upgrades
   * of `/event` are taken (an express router serves the rest).
   */
  attach(server: http.Server, options: AttachOptions = {}): this {
    const prefix = options.prefix === undefined ? this.options.prefix : normalizePrefix(options.prefix);
    const own = server === this.ownServer;
    if (options.requests !== false) {
      const previous = server.listeners('request') as RequestListener[];
      server.removeAllListeners('request');
      server.on('request', (request: IncomingMessage, response: ServerResponse) => {
        const path = claim(request.url ?? '/', prefix, own);
        if (path !== undefined) this.dispatch(request, response, path);
        else if (previous.length > 0) for (const listener of previous) listener.call(server, request, response);
        else sendStatus(response, 404, 'not found');
      });
    }
    const previousUpgrades = server.listeners('upgrade') as UpgradeListener[];
    server.removeAllListeners('upgrade');
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = claim(request.url ?? '/', prefix, own);
      if (path !== undefined) {
        if (isWebSocketUpgrade(request)) this.upgrade(request, socket, head, path);
        else if (options.requests !== false) serveAsPlainRequest(request, socket, head, (req, res) => this.dispatch(req, res, path));
        else refuseUpgrade(socket, 400, 'not a WebSocket upgrade');
        return;
      }
      if (previousUpgrades.length > 0) for (const listener of previousUpgrades) listener.call(server, request, socket, head);
      else refuseUpgrade(socket, 404, 'not found');
    });
    this.attached.push(server);
    return this;
  }

  /**
   * Serves one request whose URL is relative to where the endpoints are mounted (`/api/…`,
   * `/event`, `/health`, `/metrics`, with the query), as a framework hands it on; returns false,
   * leaving the response alone, for any other path. `@milky/server/express` mounts it in express.
   */
  serveRequest(request: IncomingMessage, response: ServerResponse): boolean {
    const path = request.url ?? '/';
    if (!isEndpoint(path.split('?')[0] ?? '')) return false;
    this.dispatch(request, response, path);
    return true;
  }

  /** One request, its path relative to the prefix (with its query). */
  private dispatch(request: IncomingMessage, response: ServerResponse, path: string): void {
    const question = path.indexOf('?');
    const pathname = question < 0 ? path : path.slice(0, question);
    if (applyCors(this.options.cors, request, response) && isPreflight(request)) {
      answerPreflight(response);
      return;
    }
    if (this.options.health && pathname === '/health') {
      this.health(response);
      return;
    }
    const refusal = this.admit(request, path, pathname);
    if (refusal) {
      sendStatus(response, refusal.status, refusal.message, refusal.headers);
      return;
    }
    if (pathname.startsWith('/api/')) {
      this.api.handle(request, response, pathname.slice(5));
      return;
    }
    if (pathname === '/event') {
      const lastEventId = request.headers['last-event-id'];
      this.sse.add(request, response, Array.isArray(lastEventId) ? lastEventId[0] : lastEventId);
      return;
    }
    if (this.options.metrics && pathname === '/metrics') {
      send(response, 200, 'text/plain; version=0.0.4; charset=utf-8', prometheus(this.metrics()));
      return;
    }
    this.metricsStore.rejected(httpAnswers.NotFound.status);
    sendStatus(response, httpAnswers.NotFound.status, 'not found');
  }

  /**
   * Admission, the same for a plain request and a WebSocket upgrade: 503 while shutting down, 401
   * without a valid token (on `/event` also from `?access_token=`), 405 for `/event` other than GET.
   * Returns the refusal (counted in the metrics), or undefined to admit: the connection then no
   * longer counts against `maxPendingPerAddress`.
   */
  private admit(request: IncomingMessage, path: string, pathname: string): Refusal | undefined {
    if (this.closing) return this.refuse(serviceUnavailable, 'the server is shutting down', { connection: 'close' });
    const event = pathname === '/event';
    if (!this.checkToken(bearerToken(request) ?? (event ? queryToken(path) : undefined)))
      return this.refuse(httpAnswers.Unauthorized.status, 'a valid access token is required', { 'www-authenticate': 'Bearer' });
    if (event && request.method !== 'GET')
      return this.refuse(httpAnswers.MethodNotAllowed.status, 'the event stream is opened with GET', { allow: 'GET' });
    admitConnection(request.socket);
    return undefined;
  }

  /** A refusal, counted in the metrics. */
  private refuse(status: number, message: string, headers: Record<string, string> = {}): Refusal {
    this.metricsStore.rejected(status);
    return { status, message, headers };
  }

  private health(response: ServerResponse): void {
    const status = this.closing ? 'closing' : this.isLoggedIn ? 'ok' : 'not_logged_in';
    send(response, this.closing ? serviceUnavailable : 200, 'application/json; charset=utf-8', JSON.stringify({ status }));
  }

  /** A WebSocket upgrade: the token is checked before anything is switched. */
  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    const pathname = path.split('?')[0] ?? '';
    const refusal =
      pathname === '/event'
        ? this.admit(request, path, pathname)
        : this.refuse(httpAnswers.NotFound.status, 'WebSocket is served on /event only');
    if (refusal) {
      refuseUpgrade(socket, refusal.status, refusal.message, refusal.headers);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.websocket.add(ws, socket, request));
  }

  /**
   * Shuts down: takes no new requests (they get 503), lets API calls in flight finish until
   * `deadline` ms (then aborts their `signal`), closes WebSockets with 1001, ends SSE streams,
   * and drains WebHooks in what is left of the deadline.
   */
  async close({ deadline = 10_000 }: { deadline?: number } = {}): Promise<ServerCloseReport> {
    if (this.closing) throw new Error('the server is already closed');
    this.closing = true;
    const started = performance.now();
    const own = this.ownServer;
    const stopped = own ? new Promise<void>((resolve) => own.close(() => resolve())) : Promise.resolve();
    own?.closeIdleConnections();
    const timer = new AbortController();
    const finished = await Promise.race([
      this.api.idle().then(() => true),
      sleep(deadline, false, { signal: timer.signal }).catch(() => false),
    ]);
    timer.abort();
    const abortedCalls = finished ? 0 : this.api.active;
    if (!finished) {
      this.api.abortAll('the server is shutting down');
      this.logger.warn('API calls still running at the shutdown deadline were aborted', { calls: abortedCalls });
    }
    this.hub.closed = true;
    const left = () => Math.max(0, deadline - (performance.now() - started));
    await this.websocket.closeAll(1001, 'server shutting down', Math.min(left(), 2000));
    this.sse.closeAll();
    this.wss.close();
    const webhook = this.webhook ? await this.webhook.close({ deadline: left() }) : undefined;
    own?.closeAllConnections();
    await stopped;
    return { abortedCalls, webhook };
  }

  /** Closes at once (`await using`), unless already closed. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.closing) await this.close({ deadline: 0 });
  }
}
