// The response envelope of every API call, and the error that carries a failed one.

import { retcodes } from './generated/registry.ts';

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

/** What the body of an API's answer reads as: its data, its failure, or why it is no envelope. */
export type EnvelopeReading =
  | { readonly status: 'ok'; readonly data: Record<string, unknown> }
  | {
      readonly status: 'failed';
      readonly retcode: number;
      /** The failure's message; undefined when the answer has none (which breaks the protocol). */
      readonly message: string | undefined;
    }
  | {
      readonly status: 'invalid';
      /** What is wrong, for humans: `the answer is not JSON: "hello"`, `data must always be an object, got []`. */
      readonly problem: string;
    };

const shown = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the body of an API's answer as the protocol's envelope: `status: "ok"` with `retcode` 0 and
 * an object as `data`, or `status: "failed"` with a non-zero integer `retcode` and a `message`.
 * Every package that reads envelopes reads them here, so that all judge them alike.
 */
export function readEnvelope(text: string): EnvelopeReading {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 'invalid', problem: `the answer is not JSON: ${shown(text.slice(0, 80))}` };
  }
  if (!isObject(body)) return { status: 'invalid', problem: `the answer is not a JSON object: ${shown(body)}` };
  if (body.status === 'ok') {
    if (body.retcode !== 0) return { status: 'invalid', problem: `status "ok" needs retcode 0, got ${shown(body.retcode)}` };
    if (!isObject(body.data)) return { status: 'invalid', problem: `data must always be an object, got ${shown(body.data)}` };
    return { status: 'ok', data: body.data };
  }
  if (body.status !== 'failed') return { status: 'invalid', problem: `status must be "ok" or "failed", got ${shown(body.status)}` };
  if (typeof body.retcode !== 'number' || !Number.isInteger(body.retcode) || body.retcode === 0) {
    return { status: 'invalid', problem: `a failure needs a non-zero integer retcode, got ${shown(body.retcode)}` };
  }
  return { status: 'failed', retcode: body.retcode, message: typeof body.message === 'string' ? body.message : undefined };
}

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
