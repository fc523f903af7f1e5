// Exponential backoff with full jitter, as every retry and reconnection here waits.

/** The bounds of a backoff: the first window and the largest, in ms. */
export interface Backoff {
  /** Cap of the first window, in ms; it doubles with each retry. */
  readonly baseDelay: number;
  /** Largest window, in ms. */
  readonly maxDelay: number;
}

/** The window of retry `retry` (counting from 0): `min(maxDelay, baseDelay * 2^retry)`. */
export function backoffWindow(retry: number, backoff: Backoff): number {
  return Math.min(backoff.maxDelay, backoff.baseDelay * 2 ** Math.min(Math.max(retry, 0), 30));
}

/** A delay with full jitter: a random whole number of ms from 0 to the window of retry `retry`. */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  return Math.floor(random() * backoffWindow(retry, backoff));
}
