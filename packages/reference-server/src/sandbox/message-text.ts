// Messages as plain text, for transcripts on a terminal and in test failures: text as it is,
// mentions by name, and everything else as a short tag.

import type { IncomingMessage, IncomingSegment } from '@milky/types';

/** A size in bytes for people: `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function byteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Display names by QQ number; a number missing from it is written as is. */
export type Names = ReadonlyMap<number, string>;

/** One segment as text: text as is, a mention as `@name`, anything else as a `[tag]`. */
export function segmentText(segment: IncomingSegment, names: Names): string {
  switch (segment.type) {
    case 'text':
      return segment.data.text;
    case 'mention':
      return `@${names.get(segment.data.user_id) ?? segment.data.user_id}`;
    case 'mention_all':
      return '@all';
    case 'face':
      return `[face ${segment.data.face_id}]`;
    case 'reply':
      return `[reply to #${segment.data.message_seq}] `;
    case 'file':
      return `[file ${segment.data.file_name}, ${byteSize(segment.data.file_size)}]`;
    default:
      return `[${segment.type}]`;
  }
}

/** A message's segments as one line of text. */
export function messageText(message: IncomingMessage, names: Names = new Map()): string {
  return message.segments.map((segment) => segmentText(segment, names)).join('');
}
