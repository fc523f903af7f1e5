// The response envelope of every API call, and the error that carries a failed one.

/** A successful call: `data` is always an object. */
export interface ApiSuccess<T> {
  readonly status: 'ok';
  readonly retcode: 0;
  readonly data: T;
}

/** A failed call: a non-zero `retcode` and a message for humans. */
export interface ApiFailure {
  readonly status: 'failed';
  readonly retcode: number;
  readonly message: string;
}

/** What `POST /api/<name>` answers with HTTP 200. */
export type ApiResponse<T> = ApiSuccess<T> | ApiFailure;

/** The retcodes the protocol defines; implementations define others for their own failures. */
export const retcodes = {
  /** The body is not JSON, not an object, or does not match the API's parameters. */
  invalidInput: -400,
  /** The bot is not logged in, or has gone offline. */
  notLoggedIn: -403,
  /** The protocol side failed in a way it does not describe further (this toolkit's convention). */
  internalError: -500,
} as const;

/**
 * A failed API call: thrown by protocol-side handlers to answer with `retcode` and `message`,
 * and by app-side clients when a call answers `status: "failed"`. Its name shows the retcode:
 * `MilkyApiError[-403]`.
 */
export class MilkyApiError extends Error {
  readonly retcode: number;
  /** The API that failed, when known. */
  readonly api: string | undefined;

  constructor(retcode: number, message: string, options: { api?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!Number.isInteger(retcode) || retcode === 0) throw new RangeError(`a failed call needs a non-zero integer retcode, got ${retcode}`);
    this.retcode = retcode;
    this.api = options.api;
    this.name = `MilkyApiError[${retcode}]`;
  }

  /** The envelope of this failure. */
  toResponse(): ApiFailure {
    return { status: 'failed', retcode: this.retcode, message: this.message };
  }
}

/**
 * Turns anything thrown into a {@link MilkyApiError}: one passes through; anything else becomes
 * an internal error whose message does not reveal it (the original is kept as `cause`).
 */
export function toMilkyApiError(error: unknown, api?: string): MilkyApiError {
  if (error instanceof MilkyApiError) return error;
  return new MilkyApiError(retcodes.internalError, 'internal error', { ...(api ? { api } : {}), cause: error });
}
