// What a worker's handler is given with each event.

import type { Event } from '@milky/types';
import type { Caller } from './calls.ts';

/** What a handler is given beside the event. */
export interface Context {
  /** The stream entry's id. */
  readonly entryId: string;
  /** The account (QQ number) that received the event. */
  readonly account: number;
  /**
   * The accounts that received it: with `oncePerGroupMessage`, every account the gateway had
   * appended this group message for when it was claimed; otherwise the one account.
   */
  readonly accounts: readonly number[];
  /** 1 on the first attempt. */
  readonly attempt: number;
  /** Typed calls through the account that received the event (needs `calls`). */
  readonly api: Caller;
  /** Typed calls through any account in a group, receiving account first, with failover (needs `calls`). */
  group(groupId: number): Caller;
  /** Aborted when the worker stops. */
  readonly signal: AbortSignal;
}

/** Handles one event; the entry is acknowledged when it resolves and retried when it throws. */
export type Handler = (event: Event, context: Context) => unknown;

/** The callers of a worker without `calls`: each call says what is missing. */
export const noCalls: Caller = {
  call() {
    return Promise.reject(new Error('calls back need the worker’s calls option (the accounts’ URLs and tokens)'));
  },
};
