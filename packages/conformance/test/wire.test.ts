// The wire's judgement of when pushes have caught up: by what each event says, not by counts.

import { expect, test } from 'vitest';
import { canonicalJson, type Transport, Wire } from '../src/checks/stream.ts';

function wireWith(open: Transport[], items: Array<[Transport, object]>): Wire {
  const wire = new Wire();
  for (const transport of open) wire.open.add(transport);
  for (const [transport, value] of items) {
    wire.record({ transport, raw: JSON.stringify(value), value });
  }
  return wire;
}

const event = (seq: number) => ({ time: 1, self_id: 1, event_type: 'message_receive', data: { message_seq: seq } });
const all: Transport[] = ['websocket', 'sse', 'webhook'];

test('WebHook pushes from before the run, which no stream carries, are not waited for', async () => {
  const wire = wireWith(all, [
    ['webhook', event(1)],
    ['webhook', event(2)],
    ['websocket', event(3)],
    ['sse', event(3)],
    ['webhook', event(3)],
  ]);
  expect(await wire.caughtUp(0)).toBe(true);
});

test('an event a stream carried and another transport lacks is waited for, also when counts agree', async () => {
  const lacking = wireWith(all, [
    ['websocket', event(1)],
    ['sse', event(1)],
  ]);
  expect(await lacking.caughtUp(0)).toBe(false);
  // As many on each transport, but not the same events.
  const other = wireWith(all, [
    ['websocket', event(1)],
    ['sse', event(1)],
    ['webhook', event(2)],
  ]);
  expect(await other.caughtUp(0)).toBe(false);
  // Twice on a stream: twice everywhere.
  const twice = wireWith(
    ['websocket', 'sse'],
    [
      ['websocket', event(1)],
      ['websocket', event(1)],
      ['sse', event(1)],
    ],
  );
  expect(await twice.caughtUp(0)).toBe(false);
});

test('the same event with its keys in another order is the same event', async () => {
  const { data, ...rest } = event(1);
  const wire = wireWith(all, [
    ['websocket', event(1)],
    ['sse', { data, ...rest }],
    ['webhook', { ...rest, data }],
  ]);
  expect(await wire.caughtUp(0)).toBe(true);
  expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
});

test('a push that arrives while waiting ends the wait', async () => {
  const wire = wireWith(['websocket', 'webhook'], [['websocket', event(1)]]);
  const waiting = wire.caughtUp(60_000);
  wire.record({ transport: 'webhook', raw: '', value: event(1) });
  expect(await waiting).toBe(true);
});
