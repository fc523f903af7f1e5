// What can go wrong when calling a Milky server, besides a failed call (`MilkyApiError`, with its
// retcode): each kind is a class of its own, and every one says which API (or stream) it was.
// Messages never hold a token or a URL with one.

import { httpAnswers } from '@milky/types';

/**
 * What kind of failure a `MilkyClientError` is: an HTTP status, a timeout, a network failure, an
 * answer that breaks the protocol, or an API the server's protocol version does not have.
 */
export type MilkyClientErrorCode = 'http' | 'timeout' | 'network' | 'protocol' | 'unsupported';

/** Any error of the client other than a failed call. */
export class MilkyClientError extends Error {
  /** What kind of failure this is. */
  readonly code: MilkyClientErrorCode;
  /** The API called, or `undefined` for the event stream. */
  readonly api: string | undefined;

  constructor(code: MilkyClientErrorCode, message: string, options: { api?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.api = options.api;
    this.name = 'MilkyClientError';
  }
}

/** The server answered with an HTTP status other than 200 (for an API) or 200/101 (for the event stream). */
export class MilkyHttpError extends MilkyClientError {
  readonly status: number;
  /** The start of the response body, for humans. */
  readonly body: string;

  constructor(status: number, body: string, options: { api?: string | undefined; what?: string } = {}) {
    super(
      'http',
      `${options.what ?? (options.api ? `calling ${options.api}` : 'the event stream')}: HTTP ${status}${body ? ` (${body})` : ''}`,
      options,
    );
    this.status = status;
    this.body = body;
    this.name = `MilkyHttpError[${status}]`;
  }
}

/** HTTP 401: the access token is missing or wrong. Retrying will not help. */
export class MilkyUnauthorizedError extends MilkyHttpError {}

/** HTTP 404: the server does not offer this API (or has no event stream there). */
export class MilkyNotFoundError extends MilkyHttpError {}

/** HTTP 415: the server did not take the body as JSON. */
export class MilkyUnsupportedMediaTypeError extends MilkyHttpError {}

/** The call (or the stream's handshake) took longer than its timeout. */
export class MilkyTimeoutError extends MilkyClientError {
  readonly timeout: number;

  constructor(timeout: number, options: { api?: string | undefined } = {}) {
    super('timeout', `${options.api ? `calling ${options.api}` : 'the event stream'}: no answer within ${timeout} ms`, options);
    this.timeout = timeout;
    this.name = 'MilkyTimeoutError';
  }
}

/** The server could not be reached, or the connection broke. */
export class MilkyNetworkError extends MilkyClientError {
  constructor(cause: unknown, options: { api?: string | undefined } = {}) {
    const reason = cause instanceof Error ? ((cause.cause as { code?: string } | undefined)?.code ?? cause.message) : String(cause);
    super('network', `${options.api ? `calling ${options.api}` : 'the event stream'}: ${reason}`, { ...options, cause });
    this.name = 'MilkyNetworkError';
  }
}

/** The answer is not what the protocol says: not a Milky envelope, or a result that does not match. */
export class MilkyProtocolError extends MilkyClientError {
  constructor(message: string, options: { api?: string | undefined; cause?: unknown } = {}) {
    super('protocol', `${options.api ? `calling ${options.api}` : 'the event stream'}: ${message}`, options);
    this.name = 'MilkyProtocolError';
  }
}

/** The error for an HTTP status, of the most precise class. */
export function httpError(status: number, body: string, options: { api?: string | undefined; what?: string } = {}): MilkyHttpError {
  const shown = body.trim().slice(0, 200);
  if (status === httpAnswers.Unauthorized.status) return new MilkyUnauthorizedError(status, shown, options);
  if (status === httpAnswers.NotFound.status) return new MilkyNotFoundError(status, shown, options);
  if (status === httpAnswers.UnsupportedMediaType.status) return new MilkyUnsupportedMediaTypeError(status, shown, options);
  return new MilkyHttpError(status, shown, options);
}

/**
 * The API appeared in a newer version of the protocol than the server speaks (as its
 * `get_impl_info` says), so the client did not call it.
 */
export class MilkyUnsupportedApiError extends MilkyClientError {
  /** The version the API appeared in. */
  readonly since: string;
  /** The version the server speaks. */
  readonly serverVersion: string;

  constructor(api: string, since: string, serverVersion: string) {
    super(
      'unsupported',
      `calling ${api}: it appeared in Milky ${since}, and the server speaks Milky ${serverVersion} (its get_impl_info says so); not called`,
      { api },
    );
    this.since = since;
    this.serverVersion = serverVersion;
    this.name = 'MilkyUnsupportedApiError';
  }
}
