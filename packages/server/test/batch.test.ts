// The batching of writes per turn of the event loop (src/events/batch.ts), against a stream that records its calls.

import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { type Batched, batched, type Corkable, isBehind, TurnBatcher } from '../src/events/batch.ts';

/** A stream that records cork, uncork and write calls, with `unsent` bytes said to be waiting in it. */
function recording(unsent = 0): Corkable & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    cork: () => calls.push('cork'),
    uncork: () => calls.push('uncork'),
    write: (chunk: Buffer) => calls.push(`write ${chunk.toString()}`) > 0,
    writableLength: unsent,
  };
}

function client(stream: Corkable): Batched {
  return { stream, ...batched() };
}

describe('TurnBatcher', () => {
  test('a lone message is one plain write when the loop turns, not before', async () => {
    const stream = recording();
    const batcher = new TurnBatcher<Batched>(() => true);
    batcher.write(client(stream), Buffer.from('a'));
    expect(stream.calls).toEqual([]);
    await turn();
    expect(stream.calls).toEqual(['write a']);
  });

  test("a turn's messages to one client leave together, in order, corked into one write", async () => {
    const stream = recording();
    const one = client(stream);
    const batcher = new TurnBatcher<Batched>(() => true);
    for (const text of ['a', 'b', 'c']) batcher.write(one, Buffer.from(text));
    expect(one.queuedBytes).toBe(3);
    expect(batcher.has(one)).toBe(true);
    await turn();
    expect(stream.calls).toEqual(['cork', 'write a', 'write b', 'write c', 'uncork']);
    expect(one.queuedBytes).toBe(0);
    expect(batcher.has(one)).toBe(false);
    batcher.write(one, Buffer.from('d'));
    await turn();
    expect(stream.calls.at(-1)).toBe('write d');
  });

  test('what is queued for a client that has gone is let go', async () => {
    const stream = recording();
    const one = client(stream);
    const batcher = new TurnBatcher<Batched>(() => true);
    batcher.write(one, Buffer.from('a'));
    one.gone = true;
    await turn();
    expect(stream.calls).toEqual([]);
    expect(one.queued).toEqual([]);
  });

  test('what is queued for a client that can no longer take data (its closing handshake began in the turn) is let go', async () => {
    const open = recording();
    const closing = recording();
    const closed = new Set<Batched>();
    const batcher = new TurnBatcher<Batched>((one) => !closed.has(one));
    const [first, second] = [client(open), client(closing)];
    batcher.write(first, Buffer.from('a'));
    batcher.write(second, Buffer.from('a'));
    closed.add(second as Batched);
    await turn();
    expect(open.calls).toEqual(['write a']);
    expect(closing.calls).toEqual([]);
    expect(second?.queued).toEqual([]);
  });

  test('flush() writes at once what is queued, as at shutdown', () => {
    const stream = recording();
    const batcher = new TurnBatcher<Batched>(() => true);
    batcher.write(client(stream), Buffer.from('a'));
    batcher.flush();
    expect(stream.calls).toEqual(['write a']);
  });
});

describe('isBehind', () => {
  test('behind with more than the limit unsent from earlier turns', () => {
    expect(isBehind(client(recording(100)), 10, 100)).toBe(false);
    expect(isBehind(client(recording(101)), 10, 100)).toBe(true);
  });

  test("behind when what waits, this turn's queue included, would pass four times the limit", async () => {
    const one = client(recording(0));
    const batcher = new TurnBatcher<Batched>(() => true);
    batcher.write(one, Buffer.alloc(350));
    expect(isBehind(one, 50, 100)).toBe(false);
    expect(isBehind(one, 51, 100)).toBe(true);
    await turn();
  });
});
