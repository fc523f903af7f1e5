// One API call: `POST <base>/api/<name>`, its answer checked against the protocol.

import {
  type ApiInput,
  type ApiName,
  apis,
  MilkyApiError,
  type MilkySchema,
  type ReadOnlyApiName,
  readEnvelope,
  type ValidationMode,
  validator,
} from '@milky/types';
import type { Compatibility } from './compat.ts';
import {
  httpError,
  MilkyClientError,
  MilkyHttpError,
  MilkyNetworkError,
  MilkyProtocolError,
  MilkyTimeoutError,
  MilkyUnsupportedApiError,
} from './errors.ts';
import { backoffDelay } from './internal/backoff.ts';
import { type ServerInfo, serverInfo } from './server-version.ts';
import { sleep } from './sleep.ts';

/** How often and how long to retry a read-only call. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  readonly attempts?: number;
  /** Cap of the first backoff window, in ms; it doubles with each retry. Default 200. */
  readonly baseDelay?: number;
  /** Largest backoff window, in ms. Default 5000. */
  readonly maxDelay?: number;
}

/** Options of any call: an abort signal and a timeout. */
export interface CallOptions {
  /** Aborts the call; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Time allowed for the answer, in ms; the client's `timeout` by default. */
  readonly timeout?: number;
}

/**
 * Options of a call to API `N`. `retry` (on network errors, timeouts, 408, 429 and 5xx, with
 * backoff and jitter) is allowed for read-only APIs only: retrying a call that changes something
 * could do it twice.
 */
export type CallOptionsFor<N extends ApiName> = CallOptions &
  (N extends ReadOnlyApiName ? { readonly retry?: boolean | number | RetryOptions } : { readonly retry?: never });

/** The arguments of a call: the input may be left out when every parameter is optional. */
export type CallArgs<N extends ApiName> =
  // biome-ignore lint/complexity/noBannedTypes: `{}` is "an object with nothing required".
  {} extends ApiInput<N> ? [input?: ApiInput<N>, options?: CallOptionsFor<N>] : [input: ApiInput<N>, options?: CallOptionsFor<N>];

/** Validation of what the server sends: `lenient` accepts fields and variants this version does not know. */
export type Validation = ValidationMode | 'off';

export interface CallerOptions {
  readonly base: URL;
  readonly token: string | undefined;
  readonly timeout: number;
  readonly validation: Validation;
  readonly fetch: typeof fetch;
  /** Decodes results by the compatibility rules (with lenient validation). */
  readonly compatibility: Compatibility;
  /** Refuses, without a request, an API newer than the server's protocol version. */
  readonly versionCheck: boolean;
}

function retryOptions(setting: boolean | number | RetryOptions | undefined): Required<RetryOptions> | undefined {
  if (setting === undefined || setting === false || setting === 0) return undefined;
  const given = typeof setting === 'number' ? { attempts: setting } : setting === true ? {} : setting;
  return { attempts: given.attempts ?? 2, baseDelay: given.baseDelay ?? 200, maxDelay: given.maxDelay ?? 5000 };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof MilkyHttpError) return error.status === 408 || error.status === 429 || error.status >= 500;
  return error instanceof MilkyNetworkError || error instanceof MilkyTimeoutError;
}

export class Caller {
  private readonly options: CallerOptions;
  private readonly headers: Record<string, string>;
  /** The server's version, once a `get_impl_info` has told it. */
  private server: ServerInfo | undefined;
  /** The `get_impl_info` under way to learn it, shared by the calls that wait for it. */
  private learning: Promise<ServerInfo | undefined> | undefined;

  constructor(options: CallerOptions) {
    this.options = options;
    this.headers = {
      'content-type': 'application/json',
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
    };
  }

  async call(api: ApiName, input: unknown, options: CallOptions & { retry?: boolean | number | RetryOptions } = {}): Promise<unknown> {
    const descriptor = apis[api];
    if (!descriptor) throw new TypeError(`${JSON.stringify(api)} is not an API of the protocol`);
    const retry = retryOptions(options.retry);
    if (retry && !descriptor.readOnly) {
      throw new TypeError(`retry is for read-only APIs; ${api} changes something, and retrying it could do it twice`);
    }
    if (this.options.versionCheck) await this.requireOffered(api, options.timeout);
    const body = JSON.stringify(input ?? {});
    for (let attempt = 0; ; attempt++) {
      try {
        const data = await this.attempt(api, body, options);
        if (api === 'get_impl_info') this.server = serverInfo(data as never);
        return data;
      } catch (error) {
        if (!retry || attempt >= retry.attempts || !isRetryable(error) || options.signal?.aborted) throw error;
        await sleep(backoffDelay(attempt, retry), options.signal);
      }
    }
  }

  /** The server's version and the APIs it has, from `get_impl_info` (asked once, or again with `refresh`). */
  async serverInfo(options: CallOptions & { refresh?: boolean } = {}): Promise<ServerInfo | undefined> {
    if (this.server && !options.refresh) return this.server;
    await this.call('get_impl_info', {}, options);
    return this.server;
  }

  /**
   * Fails, without calling it, when an API appeared after the server's protocol version. The
   * version is learnt from `get_impl_info` at the first call of an API that appeared after 1.0;
   * when that fails, or the server's version is not one, nothing is refused.
   */
  private async requireOffered(api: ApiName, timeout: number | undefined): Promise<void> {
    const { since } = apis[api];
    if (since === '1.0' || api === 'get_impl_info') return;
    if (!this.server) {
      this.learning ??= this.attempt('get_impl_info', '{}', timeout === undefined ? {} : { timeout })
        .then(
          (data) => serverInfo(data as never),
          () => undefined,
        )
        .finally(() => {
          this.learning = undefined;
        });
      this.server ??= await this.learning;
    }
    if (this.server && !this.server.supports(api)) throw new MilkyUnsupportedApiError(api, since, this.server.milkyVersion);
  }

  private async attempt(api: ApiName, body: string, options: CallOptions): Promise<unknown> {
    const timeout = options.timeout ?? this.options.timeout;
    const timer = AbortSignal.timeout(timeout);
    const signal = options.signal ? AbortSignal.any([options.signal, timer]) : timer;
    const failure = (error: unknown): Error => {
      if (options.signal?.aborted) return options.signal.reason as Error;
      if (timer.aborted) return new MilkyTimeoutError(timeout, { api });
      return error instanceof MilkyClientError ? error : new MilkyNetworkError(error, { api });
    };
    let status: number;
    let text: string;
    try {
      const response = await this.options.fetch(new URL(`api/${api}`, this.options.base), {
        method: 'POST',
        headers: this.headers,
        body,
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw failure(error);
    }
    if (status !== 200) throw httpError(status, text, { api });
    const envelope = readEnvelope(text);
    if (envelope.status === 'invalid') throw new MilkyProtocolError(envelope.problem, { api });
    if (envelope.status === 'failed') throw new MilkyApiError(envelope.retcode, envelope.message ?? '(no message)', { api });
    const { data } = envelope;
    if (this.options.validation !== 'off') {
      const check = validator(apis[api].output as MilkySchema<unknown>, this.options.validation);
      if (!check.check(data)) {
        const [first] = check.issues(data);
        throw new MilkyProtocolError(`the result does not match the protocol: ${first?.message ?? 'invalid'}`, { api });
      }
    }
    if (this.options.validation === 'lenient') return this.options.compatibility.apply(apis[api].output as MilkySchema<unknown>, data);
    return data;
  }
}
