export { type Backoff, backoffDelay } from './internal/backoff.ts';

/** When and how often a failed delivery is tried again. */
export interface RetryOptions {
  /** Retries after the first attempt; then the event counts as failed. Default 10. */
  readonly limit: number;
  /** Cap of the first backoff window, in ms; it doubles with each retry. Default 500. */
  readonly baseDelay: number;
  /** Largest backoff window, in ms. Default 60 000. */
  readonly maxDelay: number;
  /** Longest `Retry-After` honoured, in ms; a longer one is cut to this. Default 300 000. */
  readonly maxRetryAfter: number;
}

/** The retry policy of a target unless told otherwise: 10 retries, backoff from 500 ms to 60 s, `Retry-After` honoured up to 5 minutes. */
export const defaultRetry: RetryOptions = { limit: 10, baseDelay: 500, maxDelay: 60_000, maxRetryAfter: 300_000 };

/** Reads a `Retry-After` header (seconds, or an HTTP date) as a delay in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month (`Mon, 23 Nov 2026 12:00:30 GMT`); a bare number is not one.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Whether an HTTP status is worth retrying: 408, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}
