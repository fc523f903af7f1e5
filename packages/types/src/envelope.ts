// The error that carries a failed API call; the envelope itself is declared in the spec.

import type { ApiFailure } from './generated/envelope.ts';
import { retcodes } from './generated/registry.ts';

// The envelope's shapes and its reader are generated from `spec/src/wire.ts`.
export { type ApiFailure, type ApiResponse, type ApiSuccess, type EnvelopeReading, readEnvelope } from './generated/envelope.ts';

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
