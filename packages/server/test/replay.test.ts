// The SSE replay ring keeps the last events, byte for byte, within its count and its bytes.

import { expect, test } from 'vitest';
import { ReplayRing } from '../src/events/replay.ts';

/** Event `n` of `length` bytes, each byte telling its event apart. */
const eventOf = (n: number, length: number) => new Uint8Array(length).fill(n % 251);

test('the ring keeps the last events unchanged, at most its count and its bytes, the newest always', () => {
  let seed = 7;
  const random = (below: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  for (const [limit, capacity, largest] of [
    [5, 1000, 300],
    [1000, 700, 300],
    [3, 64, 64],
    // The ring starts small and grows: events larger than it is when the count is reached.
    [10, 1 << 16, 8000],
  ] as const) {
    const ring = new ReplayRing(limit, capacity);
    const pushed: Uint8Array[] = [];
    for (let n = 0; n < 2000; n++) {
      const event = eventOf(n, 1 + random(largest));
      ring.push(event);
      pushed.push(event);
      const kept = Array.from({ length: ring.size }, (_, i) => ring.get(i));
      // The last `size` events pushed, oldest first, each as it was (compared byte for byte).
      const last = pushed.slice(pushed.length - ring.size);
      const same = kept.every((item, i) => item !== undefined && Buffer.from(item).equals(last[i] as Uint8Array));
      expect(same, `after push ${n}`).toBe(true);
      expect(ring.size).toBeGreaterThanOrEqual(1);
      expect(ring.size).toBeLessThanOrEqual(limit);
      expect(ring.bytes).toBe(kept.reduce((sum, item) => sum + (item?.length ?? 0), 0));
      expect(ring.bytes).toBeLessThanOrEqual(capacity);
    }
  }
});

test('an event larger than the ring has grown to yet is kept once the count is reached', () => {
  const ring = new ReplayRing(10, 1 << 20);
  for (let n = 0; n < 10; n++) ring.push(eventOf(n, 100));
  ring.push(eventOf(10, 5000));
  expect(ring.get(ring.size - 1)).toEqual(eventOf(10, 5000));
  expect(ring.size).toBe(10);
});

test('at least half the ring is used once it is full', () => {
  const ring = new ReplayRing(1000, 10_000);
  for (let n = 0; n < 500; n++) ring.push(eventOf(n, 300 + (n % 7) * 100));
  expect(ring.bytes).toBeGreaterThanOrEqual(5000);
});

test('an event larger than the ring is not kept, nor anything before it; a count of 0 keeps nothing', () => {
  const ring = new ReplayRing(10, 100);
  ring.push(eventOf(1, 40));
  ring.push(eventOf(2, 101));
  expect(ring.size).toBe(0);
  ring.push(eventOf(3, 30));
  expect(ring.get(0)).toEqual(eventOf(3, 30));
  const none = new ReplayRing(0, 100);
  none.push(eventOf(1, 10));
  expect(none.size).toBe(0);
  expect(none.get(0)).toBeUndefined();
});

test('the ring grows with what is kept, not to its bound at once', () => {
  const ring = new ReplayRing(10, 64 * 1024 * 1024);
  for (let n = 0; n < 100; n++) ring.push(eventOf(n, 1000));
  expect(ring.size).toBe(10);
  expect(ring.memory).toBeLessThanOrEqual(4 * 10 * 1000);
  expect(Array.from({ length: 10 }, (_, i) => ring.get(i))).toEqual(Array.from({ length: 10 }, (_, i) => eventOf(90 + i, 1000)));
});
