// `POST /api/<name>`: the rules of the protocol, checked in its order, after the token check of
// the router: 404, 405, 415, 413, -400 (JSON), -400 (schema), -403, then the handler.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ApiName,
  type ApiOutput,
  type ApiResolvedInput,
  apis,
  apiValidators,
  applyDefaults,
  httpAnswers,
  isApiName,
  MilkyApiError,
  type MilkySchema,
  retcodes,
  toMilkyApiError,
  type Validator,
} from '@milky/types';
import type { Logger } from '@milky/webhook';
import { readBody } from './body.ts';
import type { Metrics } from './metrics.ts';
import { isJsonContentType, sendFailure, sendStatus, sendSuccess } from './respond.ts';

/** What a handler gets besides its input. */
export interface HandlerContext<N extends ApiName = ApiName> {
  readonly api: N;
  /** Aborted when the app goes away before the answer, or the server gives up on the call at shutdown. */
  readonly signal: AbortSignal;
  /** The HTTP request (headers, remote address). */
  readonly request: IncomingMessage;
}

/** An API with nothing to return may return nothing; `data` is then `{}`. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` lets `async () => {}` and `() => {}` be handlers of such APIs.
export type HandlerResult<N extends ApiName> = ApiOutput<N> extends Record<string, never> ? ApiOutput<N> | undefined | void : ApiOutput<N>;

/**
 * Implements one API. `input` is validated and has its defaults applied. Throw a
 * `MilkyApiError` to fail with a retcode; anything else thrown answers -500 and is logged.
 */
export type ApiHandler<N extends ApiName> = (
  input: ApiResolvedInput<N>,
  context: HandlerContext<N>,
) => HandlerResult<N> | Promise<HandlerResult<N>>;

/** Handlers for any number of APIs. */
export type ApiHandlers = { readonly [N in ApiName]?: ApiHandler<N> };

/**
 * The context of one call. Its getter lives on the prototype, so that a call allocates one small
 * object of a fixed shape, and its abort controller only when the handler looks at `signal`.
 */
class Call implements HandlerContext {
  readonly api: ApiName;
  readonly request: IncomingMessage;
  readonly #response: ServerResponse;
  #controller: AbortController | undefined;

  constructor(api: ApiName, request: IncomingMessage, response: ServerResponse) {
    this.api = api;
    this.request = request;
    this.#response = response;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      const response = this.#response;
      response.once('close', () => {
        if (!response.writableFinished) controller.abort(new Error('the app went away before the answer'));
      });
    }
    return this.#controller.signal;
  }

  /** Aborts the call's signal, if its handler looked at it. */
  static abort(call: Call, reason: string): void {
    call.#controller?.abort(new Error(reason));
  }
}

interface Entry {
  readonly name: ApiName;
  readonly handler: ApiHandler<ApiName>;
  readonly input: Validator<unknown>;
  readonly inputSchema: MilkySchema<unknown>;
  readonly output: Validator<unknown>;
}

/** A request whose body some middleware (such as `express.json()`) may have read and parsed. */
interface ParsedRequest extends IncomingMessage {
  body?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

export interface ApiEndpointOptions {
  readonly bodyLimit: number;
  readonly validateOutput: boolean;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly loggedIn: () => boolean;
}

export class ApiEndpoint {
  private readonly entries = new Map<string, Entry>();
  private readonly options: ApiEndpointOptions;
  /** Calls whose handler is still working; a call's controller exists once its handler looked at `signal`. */
  private readonly inFlight = new Set<Call>();
  private readonly idleWaiters: Array<() => void> = [];

  constructor(options: ApiEndpointOptions) {
    this.options = options;
  }

  register<N extends ApiName>(name: N, handler: ApiHandler<N>): void {
    if (!isApiName(name)) throw new TypeError(`${JSON.stringify(name)} is not an API of the protocol`);
    if (typeof handler !== 'function') throw new TypeError(`the handler of ${name} must be a function`);
    const validators = apiValidators(name);
    this.entries.set(name, {
      name,
      handler: handler as unknown as ApiHandler<ApiName>,
      input: validators.input as Validator<unknown>,
      inputSchema: apis[name].input as MilkySchema<unknown>,
      output: validators.output as Validator<unknown>,
    });
  }

  /** The APIs with a handler, in protocol order. */
  registered(): ApiName[] {
    return (Object.keys(apis) as ApiName[]).filter((name) => this.entries.has(name));
  }

  /** Calls being handled now. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Answers one call, by the rules in order. The handler's work is awaited only when it returns a promise. */
  handle(request: IncomingMessage, response: ServerResponse, name: string): void {
    const { metrics } = this.options;
    const entry = this.entries.get(name);
    if (!entry) {
      metrics.rejected(httpAnswers.NotFound.status);
      sendStatus(
        response,
        httpAnswers.NotFound.status,
        isApiName(name) ? `this server does not implement ${name}` : `no API named ${JSON.stringify(name)}`,
      );
      return;
    }
    if (request.method !== 'POST') {
      const { status, allow } = httpAnswers.MethodNotAllowed;
      metrics.rejected(status);
      sendStatus(response, status, `${name} is called with ${allow}`, { allow });
      return;
    }
    if (!isJsonContentType(request.headers['content-type'])) {
      metrics.rejected(httpAnswers.UnsupportedMediaType.status);
      sendStatus(response, httpAnswers.UnsupportedMediaType.status, 'send the parameters as Content-Type: application/json (UTF-8)');
      return;
    }
    if (request.readableEnded) {
      // Middleware before this router read the body: take what it parsed.
      const { body } = request as ParsedRequest;
      if (body === undefined)
        this.fail(response, name, retcodes.invalidInput, 'the body was read by middleware before this router and not parsed as JSON');
      else this.process(entry, body, request, response);
      return;
    }
    readBody(request, this.options.bodyLimit, (body) => {
      if (!body.ok) {
        if (body.reason === 'too-large') {
          metrics.rejected(httpAnswers.PayloadTooLarge.status);
          sendStatus(response, httpAnswers.PayloadTooLarge.status, `the body is larger than ${this.options.bodyLimit} bytes`, {
            connection: 'close',
          });
        }
        return;
      }
      let input: unknown;
      try {
        input = JSON.parse(body.body.toString('utf8'));
      } catch (error) {
        this.fail(response, name, retcodes.invalidInput, `the body is not valid JSON: ${(error as Error).message}`);
        return;
      }
      this.process(entry, input, request, response);
    });
  }

  private process(entry: Entry, input: unknown, request: IncomingMessage, response: ServerResponse): void {
    const { name } = entry;
    if (!isPlainObject(input)) {
      this.fail(response, name, retcodes.invalidInput, `the body must be a JSON object, got ${describe(input)}`);
      return;
    }
    if (!entry.input.check(input)) {
      const issues = entry.input.issues(input);
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
      this.fail(response, name, retcodes.invalidInput, `invalid parameters: ${issues[0]?.message ?? 'invalid'}${more}`);
      return;
    }
    if (!this.options.loggedIn()) {
      this.fail(response, name, retcodes.notLoggedIn, 'the bot is not logged in');
      return;
    }
    applyDefaults(entry.inputSchema, input);
    const call = new Call(name, request, response);
    let result: unknown;
    try {
      result = entry.handler(input as never, call as never);
    } catch (thrown) {
      this.failed(response, name, thrown);
      return;
    }
    if (!(result instanceof Promise)) {
      this.answer(entry, response, result);
      return;
    }
    this.inFlight.add(call);
    result
      .then(
        (output: unknown) => this.answer(entry, response, output),
        (thrown: unknown) => this.failed(response, name, thrown),
      )
      .finally(() => {
        this.inFlight.delete(call);
        if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  private answer(entry: Entry, response: ServerResponse, result: unknown): void {
    const output = result ?? {};
    if (this.options.validateOutput && !entry.output.check(output)) {
      const issues = entry.output.issues(output);
      this.options.logger.error('handler returned an invalid result', { api: entry.name, issues: issues.map((issue) => issue.message) });
      this.fail(
        response,
        entry.name,
        retcodes.internalError,
        `the handler of ${entry.name} returned an invalid result: ${issues[0]?.message ?? ''}`,
      );
      return;
    }
    let data: string;
    try {
      data = JSON.stringify(output);
    } catch (thrown) {
      this.failed(response, entry.name, thrown);
      return;
    }
    sendSuccess(response, data);
    this.options.metrics.call(entry.name, 0);
  }

  private failed(response: ServerResponse, name: ApiName, thrown: unknown): void {
    const error = toMilkyApiError(thrown, name);
    if (!(thrown instanceof MilkyApiError)) {
      this.options.logger.error('handler failed', {
        api: name,
        error: thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown),
      });
    }
    this.fail(response, name, error.retcode, error.message);
  }

  private fail(response: ServerResponse, name: string, retcode: number, message: string): void {
    this.options.metrics.call(name, retcode);
    sendFailure(response, { status: 'failed', retcode, message });
  }

  /** Resolves when no call is being handled. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts the signals of the calls still being handled. */
  abortAll(reason: string): void {
    for (const call of this.inFlight) Call.abort(call, reason);
  }
}
