// The builders cover the protocol: one for every outgoing segment type of the registry.

import { type OutgoingSegmentType, outgoingSegments } from '@milky/types';
import { expect, test } from 'vitest';
import { segment } from '../src/index.ts';

/** The builder of a segment type: `mention_all` is built by `segment.mentionAll()`. */
const builderName = (type: string) => type.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

test('every outgoing segment type of the protocol has a builder', () => {
  expect(
    Object.keys(outgoingSegments).filter((type) => typeof (segment as Record<string, unknown>)[builderName(type)] !== 'function'),
    'outgoing segment types without a builder',
  ).toEqual([]);
});

test('each builder makes a segment of its type', () => {
  const made: Record<OutgoingSegmentType, { type: string }> = {
    text: segment.text('a'),
    mention: segment.mention(10002),
    mention_all: segment.mentionAll(),
    face: segment.face('76'),
    reply: segment.reply(1),
    image: segment.image(Buffer.from('x')),
    record: segment.record(Buffer.from('x')),
    video: segment.video(Buffer.from('x')),
    forward: segment.forward([{ userId: 10002, senderName: 'Alice', segments: 'hi', time: 1_700_000_000 }]),
    light_app: segment.lightApp({ app: 'x' }),
  };
  for (const [type, built] of Object.entries(made)) expect(built.type, type).toBe(type);
  expect(made.forward).toMatchObject({ data: { messages: [{ time: 1_700_000_000, sender_name: 'Alice' }] } });
});
