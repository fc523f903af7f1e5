// The messages the run saw, from the history and from events: each segment once, as its type
// defines it (a markdown segment is not repeated as a text segment), and which segment types
// appeared at all.

import { type IncomingMessage, type IncomingSegment, incomingSegments } from '@milky/types';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import { rules } from '../rules.ts';
import type { Target } from '../target.ts';
import type { Known } from './read.ts';
import { isEvent, type Wire } from './stream.ts';

/** Every segment of the messages, with those quoted inside replies. */
export function segmentsOf(messages: readonly IncomingMessage[]): IncomingSegment[] {
  const all: IncomingSegment[] = [];
  const walk = (list: readonly IncomingSegment[]) => {
    for (const segment of list) {
      all.push(segment);
      if (segment.type === 'reply' && Array.isArray(segment.data.segments)) walk(segment.data.segments);
    }
  };
  for (const message of messages) if (Array.isArray(message.segments)) walk(message.segments);
  return all;
}

/** The messages that arrived as message_receive events. */
export function receivedMessages(wire: Wire): IncomingMessage[] {
  return wire.received.flatMap((item) =>
    isEvent(item.value) && item.value.event_type === 'message_receive' ? [item.value.data as IncomingMessage] : [],
  );
}

type Segment = { type: string; data: Record<string, unknown> };

export async function messageChecks(target: Target, recorder: Recorder, wire: Wire, known: Known): Promise<void> {
  const messages = [...known.messages, ...receivedMessages(wire)];
  for (const segment of segmentsOf(messages)) target.seenSegments.add(segment.type);
  // Read from the registry: a protocol version without the markdown segment has no such check.
  const markdown = (incomingSegments as Record<string, { since: string } | undefined>).markdown;
  if (!markdown) return;
  await recorder.check('events', 'a markdown segment is not repeated as a text segment', rules.segmentsOnce, async () => {
    const reason = target.version.notExpected('the markdown segment', markdown.since);
    if (reason) throw skip(reason);
    const withMarkdown = messages.filter((message) => (message.segments as Segment[]).some((segment) => segment.type === 'markdown'));
    if (withMarkdown.length === 0) throw skip('no message with a markdown segment was seen during the run');
    for (const message of withMarkdown) {
      const segments = message.segments as Segment[];
      const texts = segments.filter((segment) => segment.type === 'text').map((segment) => String(segment.data.text).trim());
      for (const segment of segments.filter((s) => s.type === 'markdown')) {
        const content = String(segment.data.content).trim();
        expect(
          !texts.some((text) => text === content || (content.length > 0 && text.includes(content))),
          `message ${message.message_seq} in ${message.message_scene} ${message.peer_id} carries its markdown again as text: ${describeValue(segments)}`,
        );
      }
    }
  });
}
