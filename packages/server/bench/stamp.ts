// Events stamped with their emit time, on the monotonic clock that every process of the machine
// shares, so that the receiving process can tell how long each took.

import type { Event } from '@milky/types';
import { groupMessageEvent } from '../../../bench/fixtures.ts';

/** Microseconds on the machine's monotonic clock. */
export function now(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** An event of ordinary size; the emit time is stamped in its text when `stamp` is given. */
export function event(n: number, stamp = 0): Event {
  return groupMessageEvent(n, `stamp=${stamp} a message of ordinary length, sent to every client of the bot`);
}

const pattern = /stamp=(\d+)/;

/** The emit time stamped in an event's text, or `undefined` when it carries none. */
export function stampOf(text: string): number | undefined {
  const found = pattern.exec(text)?.[1];
  return found === undefined || found === '0' ? undefined : Number(found);
}
