// The reference server: @milky/server with every API of the protocol implemented on the simulated world, its
// events sent to WebSocket, SSE and WebHook subscribers, and the world's resources, files and
// avatars served from the same port.

import { once } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConnectionLimits, MilkyServer, type ServerCloseReport, type ServerOptions } from '@milky/server';
import type { Logger } from '@milky/webhook';
import { answeredAfterCommit, handlers } from './handlers.ts';
import { implName, implVersion } from './identity.ts';
import { namedLogger } from './internal/logger.ts';
import { routes } from './routes.ts';
import { controlHandler } from './sandbox/http.ts';
import { applySeed, demoSeed, emptySeed, type WorldSeed } from './world/seed.ts';
import { World, type WorldOptions } from './world/world.ts';

export { implName, implVersion } from './identity.ts';

/** Options of a `ReferenceServer`: those of @milky/server it passes on, those of the world, and the sandbox's. */
export interface ReferenceServerOptions extends Pick<ServerOptions, (typeof passedOn)[number]>, Omit<WorldOptions, 'path'> {
  /** SQLite file of the world (created with `seed` when missing), or `':memory:'` (the default) for a throw-away one. */
  readonly database?: string | undefined;
  /** What a new world starts with: the demo world (default), only the bot account, or a seed of one's own. */
  readonly seed?: 'demo' | 'empty' | WorldSeed | undefined;
  /** The address links to resources and files start with, when apps reach the server by another name (a proxy). */
  readonly publicUrl?: string | undefined;
  /**
   * Token of the sandbox: the control API (`/control/…`) and its page (`/sandbox`), which play
   * everyone other than the bot. Without one, there is no sandbox.
   */
  readonly controlToken?: string | undefined;
  /**
   * Most bytes of resources and files being sent at once (`/media/…`, `/files/…`); a download past
   * it is answered 503 with `Retry-After` until others finish. One is always let through. Default 256 MiB.
   */
  readonly downloadBufferLimit?: number | undefined;
  /** Sandbox: interval of keep-alive comments on `/control/stream`, in ms. Default 15 000. */
  readonly sandboxKeepAliveInterval?: number | undefined;
  /** Sandbox: most bytes waiting for one `/control/stream` watcher before it is let go. Default 8 MiB. */
  readonly sandboxBufferLimit?: number | undefined;
  readonly logger?: Logger | undefined;
}

/** The options of `@milky/server` a reference server takes as they are. */
const passedOn = [
  'accessToken',
  'host',
  'port',
  'prefix',
  'webhook',
  'cors',
  'validateOutput',
  'heartbeatInterval',
  'bodyLimit',
  'clientBufferLimit',
  'sseKeepAliveInterval',
  'sseRetry',
  'sseReplay',
  'sseReplayBytes',
  'maxEventBytes',
  'headersTimeout',
  'requestTimeout',
  'keepAliveTimeout',
  'idleTimeout',
  'maxConnections',
  'maxPendingPerAddress',
] as const satisfies ReadonlyArray<keyof ServerOptions>;

/** The largest resource a world accepts unless told otherwise, in bytes (32 MiB). */
/** Room in a request body for the JSON around one resource's `base64://` URI, in bytes. */
const jsonRoom = 64 * 1024;

/**
 * The request body limit of a reference server: `bodyLimit` when given, else room for a resource of
 * `maxResourceBytes` sent as `base64://` (at least @milky/server's 16 MiB), so that a resource the
 * world accepts is never refused as 413. A `bodyLimit` with less room than that is refused.
 */
function bodyLimitFor(bodyLimit: number | undefined, maxResourceBytes: number): number {
  const needed = 4 * Math.ceil(maxResourceBytes / 3) + jsonRoom;
  if (bodyLimit === undefined) return Math.max(16 * 1024 * 1024, needed);
  if (bodyLimit < needed) {
    throw new TypeError(
      `bodyLimit (${bodyLimit}) must be at least ${needed} bytes: a resource of maxResourceBytes (${maxResourceBytes}) sent as base64:// takes ${needed - jsonRoom}, and its JSON up to ${jsonRoom} more`,
    );
  }
  return bodyLimit;
}

/** A complete Milky protocol side over a simulated QQ world: `create()`, then `listen()`. */
export class ReferenceServer {
  readonly world: World;
  readonly milky: MilkyServer;
  readonly http: http.Server;
  /** The largest request body the Milky endpoints take, in bytes: see `bodyLimitFor`. */
  readonly bodyLimit: number;
  private readonly options: ReferenceServerOptions;
  private readonly logger: Logger;
  private listening: AddressInfo | undefined;

  private constructor(world: World, options: ReferenceServerOptions) {
    this.world = world;
    this.options = options;
    this.logger = options.logger ?? namedLogger('reference-server');
    const idleTimeout = options.idleTimeout ?? defaultConnectionLimits.idleTimeout;
    if ((options.sandboxKeepAliveInterval ?? 15_000) >= idleTimeout) {
      throw new TypeError(
        `sandboxKeepAliveInterval (${options.sandboxKeepAliveInterval ?? 15_000}) must be shorter than idleTimeout (${idleTimeout}), or idle sandbox streams are closed`,
      );
    }
    this.bodyLimit = bodyLimitFor(options.bodyLimit, world.options.maxResourceBytes);
    this.milky = new MilkyServer({
      ...Object.fromEntries(passedOn.map((key) => [key, options[key]])),
      bodyLimit: this.bodyLimit,
      logger: this.logger,
    });
    // The calls of one turn commit together; each answer waits for that commit.
    world.tx.commitPerTurn((what, error) => this.logger.error(what, { error: error instanceof Error ? error.message : String(error) }));
    this.milky.handleAll(answeredAfterCommit(world, handlers(world, { name: implName, version: implVersion })));
    world.onEvent((event) => {
      try {
        this.milky.emit(event);
      } catch (error) {
        // An event over maxEventBytes is counted and logged by the server itself.
        if (error instanceof RangeError) return;
        this.logger.error('the world made an event that breaks the protocol; it was not sent', {
          event_type: event.event_type,
          error: (error as Error).message,
        });
      }
    });
    // One port for the Milky endpoints, the sandbox and the links: the same connection limits for all.
    this.http = this.milky.createHttpServer();
    const prefix = this.milky.prefix;
    const serve = routes(world, {
      name: implName,
      version: implVersion,
      prefix: `${prefix}/`,
      downloadBufferLimit: options.downloadBufferLimit ?? 256 * 1024 * 1024,
    });
    if (options.controlToken === options.accessToken && options.controlToken !== undefined) {
      throw new TypeError('the control token must differ from the access token: apps must not be able to play everyone else');
    }
    const control = options.controlToken
      ? controlHandler(this, {
          token: options.controlToken,
          bodyLimit: Math.ceil(world.options.maxResourceBytes * 1.4) + jsonRoom,
          logger: this.logger,
          keepAlive: options.sandboxKeepAliveInterval,
          streamBufferLimit: options.sandboxBufferLimit,
        })
      : undefined;
    this.http.on('request', (request, response) => {
      if (!control?.(request, response)) serve(request, response);
    });
    this.milky.attach(this.http);
    if (options.publicUrl) world.links.setBase(options.publicUrl);
  }

  /** Opens (or creates and seeds) the world and builds the server; `listen()` starts it. */
  static async create(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
    const world = new World({ ...options, path: options.database ?? ':memory:' });
    try {
      if (world.created) {
        const seed =
          options.seed === 'empty' ? emptySeed() : options.seed === 'demo' || options.seed === undefined ? demoSeed() : options.seed;
        await applySeed(world, seed);
      }
      return new ReferenceServer(world, options);
    } catch (error) {
      world.close();
      throw error;
    }
  }

  /**
   * Takes the bot offline (a `bot_offline` event, then every API answers -403) or back online.
   * A restart logs it back in.
   */
  setOnline(online: boolean, reason = 'logged out'): void {
    if (!online && this.milky.loggedIn) this.world.people.goOffline(reason);
    this.milky.setLoggedIn(online);
  }

  get online(): boolean {
    return this.milky.loggedIn;
  }

  /** Listens on `host` and `port`; a port in use fails with an error whose `code` is `EADDRINUSE`. */
  async listen(): Promise<{ url: string; address: AddressInfo }> {
    const host = this.options.host ?? '127.0.0.1';
    this.http.listen(this.options.port ?? 3000, host);
    const failed = once(this.http, 'error').then(([error]) => {
      throw error;
    });
    await Promise.race([once(this.http, 'listening'), failed]);
    failed.catch(() => {});
    const address = this.http.address() as AddressInfo;
    this.listening = address;
    if (!this.options.publicUrl) this.world.links.setBase(this.localUrl(address));
    return { url: `${this.world.links.origin}${this.milky.prefix}`, address };
  }

  private localUrl(address: AddressInfo): string {
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Where the Milky endpoints are (`http://127.0.0.1:3000` or with the prefix), once listening. */
  get url(): string {
    if (!this.listening) throw new Error('the server is not listening');
    return `${this.world.links.origin}${this.milky.prefix}`;
  }

  /** Stops: closes the Milky endpoints (draining WebHooks), the HTTP server and the world. */
  async close({ deadline = 5000 }: { deadline?: number } = {}): Promise<ServerCloseReport> {
    // The turn's changes commit first, so that their events reach the clients still connected.
    this.world.tx.flush();
    const report = await this.milky.close({ deadline });
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    if (this.listening) await closed;
    this.world.close();
    return report;
  }

  /** Closes the server at once, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close({ deadline: 0 });
  }
}
