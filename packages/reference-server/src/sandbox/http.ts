// The control API of the sandbox, beside the Milky endpoints and behind a token of its own:
// `GET /control` lists every action with the JSON Schema of its input and output;
// `POST /control/<action>` answers in the envelope Milky uses (a refusal carries the world's
// retcode; what the transport refuses is an HTTP status with a plain-text reason); `GET /control/stream` streams the
// world's events and every stored message (the bot's own included) as Server-Sent Events, and
// `GET /control/event` the same in Milky's SSE format, for @milky/client; `GET /sandbox` serves
// the web page, and `GET /sandbox/client.js` the browser build of @milky/client it uses.

import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitConnection, bearerToken, queryToken, tokenCheck } from '@milky/server';
import type { IncomingMessage as MilkyMessage } from '@milky/types';
import { type ApiSuccess, httpAnswers, MilkyApiError, retcodes, toMilkyApiError } from '@milky/types';
import type { Logger } from '@milky/webhook';
import { describeActions, isActionName, type SandboxHost, sandbox } from './actions.ts';

export interface ControlOptions {
  readonly token: string;
  readonly bodyLimit: number;
  readonly logger: Logger;
  /** Interval of keep-alive comments on the stream, in ms. Default 15 000. */
  readonly keepAlive?: number | undefined;
  /** Most bytes waiting for one stream watcher before it is let go. Default 8 MiB. */
  readonly streamBufferLimit?: number | undefined;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** A refusal at the HTTP level (401, 404, 405, 413, 415): the status, and the reason as plain text. */
function refuse(response: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void {
  const text = `${reason}\n`;
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** The body as text, or `undefined` when it is larger than `limit` (a declared length is believed at once). */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(request.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

let page: Buffer | undefined;
let clientModule: Buffer | undefined;

/**
 * @milky/client for the browser, bundled into dist/ by the build (`scripts/browser-bundle.ts`):
 * the same file from src/sandbox/ and from dist/sandbox/.
 */
function sandboxClient(): Buffer | undefined {
  const file = new URL('../../dist/sandbox-client.js', import.meta.url);
  if (clientModule === undefined && existsSync(file)) clientModule = readFileSync(file);
  return clientModule;
}

/** The sandbox page, read once from the package's `assets/`. */
function sandboxPage(): Buffer {
  page ??= readFileSync(new URL('../../assets/sandbox.html', import.meta.url));
  return page;
}

/** Handles `/control/…` and `/sandbox`; returns false for any other path. */
export function controlHandler(
  host: SandboxHost,
  options: ControlOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  const run = sandbox(host);
  const actions = describeActions();
  const checkToken = tokenCheck(options.token);
  /** The control token, in `Authorization: Bearer` or, for the stream, `?access_token=`. */
  const authorized = (request: IncomingMessage): boolean => checkToken(bearerToken(request) ?? queryToken(request.url ?? ''));
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname === '/sandbox' || url.pathname === '/sandbox/') {
      const body = sandboxPage();
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.length,
        'cache-control': 'no-cache',
        'content-security-policy':
          "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (url.pathname === '/sandbox/client.js') {
      const body = sandboxClient();
      if (!body) {
        refuse(response, httpAnswers.NotFound.status, 'dist/sandbox-client.js is missing: build the package');
        return true;
      }
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'content-length': body.length,
        'cache-control': 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (url.pathname !== '/control' && !url.pathname.startsWith('/control/')) return false;
    if (!authorized(request)) {
      refuse(response, httpAnswers.Unauthorized.status, 'the sandbox needs its control token', { 'www-authenticate': 'Bearer' });
      return true;
    }
    admitConnection(request.socket);
    const name = url.pathname.slice('/control/'.length);
    if (name === '') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        refuse(response, httpAnswers.MethodNotAllowed.status, 'the list of actions is read with GET', { allow: 'GET, HEAD' });
        return true;
      }
      json(response, 200, { actions });
      return true;
    }
    if (name === 'stream' || name === 'event') {
      const format = name === 'stream' ? controlFormat : milkyFormat(host.world.selfId);
      stream(host, request, response, format, options.keepAlive ?? 15_000, options.streamBufferLimit ?? 8 * 1024 * 1024, options.logger);
      return true;
    }
    if (!isActionName(name)) {
      refuse(response, httpAnswers.NotFound.status, `no sandbox action ${JSON.stringify(name)}: GET /control lists them`);
      return true;
    }
    if (request.method !== 'POST') {
      refuse(response, httpAnswers.MethodNotAllowed.status, 'actions are called with POST', { allow: httpAnswers.MethodNotAllowed.allow });
      return true;
    }
    if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
      refuse(response, httpAnswers.UnsupportedMediaType.status, 'send the input as application/json');
      return true;
    }
    void (async () => {
      const text = await readBody(request, options.bodyLimit);
      if (text === undefined) {
        refuse(response, httpAnswers.PayloadTooLarge.status, `the body is larger than ${options.bodyLimit} bytes`, { connection: 'close' });
        return;
      }
      let input: unknown;
      try {
        input = text === '' ? {} : JSON.parse(text);
      } catch {
        throw new MilkyApiError(retcodes.invalidInput, 'the body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new MilkyApiError(retcodes.invalidInput, 'the body must be a JSON object');
      // The action's change shares its turn's commit; it is answered, with its result or its
      // failure, once that has committed (see `Transactions.answer`).
      const data = await host.world.tx.answer(() => run(name, input));
      const success: ApiSuccess<unknown> = { status: 'ok', retcode: 0, data };
      json(response, 200, success);
    })().catch((error: unknown) => {
      const failure = toMilkyApiError(error, name);
      if (failure.retcode === retcodes.internalError)
        options.logger.error('a sandbox action failed', { action: name, error: String(error) });
      if (!response.headersSent) json(response, 200, failure.toResponse());
    });
    return true;
  };
}

type Format = (
  item: { readonly kind: 'milky'; readonly event: unknown } | { readonly kind: 'message'; readonly message: MilkyMessage },
) => string;

/** The sandbox's own stream: world events as `event: milky`, stored messages as `event: message`. */
const controlFormat: Format = (item) =>
  `event: ${item.kind}\ndata: ${JSON.stringify(item.kind === 'milky' ? item.event : item.message)}\n\n`;

/**
 * Milky's SSE format, so that @milky/client reads the stream: world events as `milky_event`, and
 * each stored message as an event of the sandbox's own type `sandbox_message` (which a lenient
 * client hands out as a type it does not know).
 */
const milkyFormat =
  (selfId: number): Format =>
  (item) =>
    `event: milky_event\ndata: ${JSON.stringify(
      item.kind === 'milky' ? item.event : { time: item.message.time, self_id: selfId, event_type: 'sandbox_message', data: item.message },
    )}\n\n`;

/** World events and stored messages, as they happen, in `format`. */
function stream(
  host: SandboxHost,
  request: IncomingMessage,
  response: ServerResponse,
  format: Format,
  keepAlive: number,
  bufferLimit: number,
  logger: Logger,
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write(': sandbox stream\n\n');
  // Every write goes through here, so that nothing is written once the watcher is let go or gone.
  const write = (text: string) => {
    if (response.writableEnded || response.destroyed) return;
    // A watcher that stops reading is let go rather than buffered without bound.
    if (response.writableLength > bufferLimit) {
      logger.warn('a sandbox stream fell behind and was closed', { buffered: response.writableLength });
      stop();
      response.destroy();
      return;
    }
    response.write(text);
  };
  const stopEvents = host.world.onEvent((event) => write(format({ kind: 'milky', event })));
  const stopMessages = host.world.onMessage((message) => write(format({ kind: 'message', message })));
  const timer = setInterval(() => write(': keep-alive\n\n'), keepAlive);
  timer.unref();
  function stop(): void {
    clearInterval(timer);
    stopEvents();
    stopMessages();
  }
  request.on('close', stop);
  response.on('close', stop);
  // A socket error ends the stream like a close does; it is no reason to stop the server.
  response.on('error', (error) => logger.warn('a sandbox stream broke off', { error: error.message }));
}
