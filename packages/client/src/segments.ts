// Builders of outgoing message segments, and of the media URIs the protocol takes.

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OutgoingForwardedMessage, OutgoingSegment, OutgoingSegmentOf } from '@milky/types';

/**
 * Where an image, a recording or a video comes from:
 * - a `Buffer` or `Uint8Array` of its bytes (sent as `base64://`);
 * - a `URL` (`http(s):` or `file:`);
 * - a string that is already a `file://`, `http(s)://` or `base64://` URI;
 * - any other string: a path on this machine (relative to the working directory), sent as `file://`;
 * - `{ base64 }`, `{ path }` or `{ url }`, to say which it is.
 *
 * A `file://` URI names a file on the machine the protocol side runs on.
 */
export type MediaSource =
  | string
  | URL
  | Uint8Array
  | { readonly base64: string }
  | { readonly path: string }
  | { readonly url: string | URL };

const uriPattern = /^(?:https?|file|base64):\/\//i;

/** The URI the protocol takes for a media source. */
export function toUri(source: MediaSource): string {
  if (source instanceof Uint8Array)
    return `base64://${Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('base64')}`;
  if (source instanceof URL) return checkedUrl(source);
  if (typeof source === 'string')
    return uriPattern.test(source) ? source : pathToFileURL(isAbsolute(source) ? source : resolve(source)).href;
  if ('base64' in source) return `base64://${source.base64.replace(/^base64:\/\//i, '')}`;
  if ('path' in source) return pathToFileURL(isAbsolute(source.path) ? source.path : resolve(source.path)).href;
  return checkedUrl(new URL(source.url));
}

function checkedUrl(url: URL): string {
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) throw new TypeError(`media URLs are http(s) or file URLs, got ${url.protocol}`);
  return url.href;
}

/** Builders of outgoing segments: `[segment.reply(seq), segment.mention(uin), segment.text(' hi')]`. */
export const segment = {
  text: (text: string): OutgoingSegmentOf<'text'> => ({ type: 'text', data: { text } }),
  mention: (userId: number): OutgoingSegmentOf<'mention'> => ({ type: 'mention', data: { user_id: userId } }),
  mentionAll: (): OutgoingSegmentOf<'mention_all'> => ({ type: 'mention_all', data: {} }),
  face: (faceId: string, options: { large?: boolean } = {}): OutgoingSegmentOf<'face'> => ({
    type: 'face',
    data: { face_id: faceId, ...(options.large !== undefined ? { is_large: options.large } : {}) },
  }),
  reply: (messageSeq: number): OutgoingSegmentOf<'reply'> => ({ type: 'reply', data: { message_seq: messageSeq } }),
  image: (source: MediaSource, options: { sticker?: boolean; summary?: string } = {}): OutgoingSegmentOf<'image'> => ({
    type: 'image',
    data: {
      uri: toUri(source),
      ...(options.sticker !== undefined ? { sub_type: options.sticker ? 'sticker' : 'normal' } : {}),
      ...(options.summary !== undefined ? { summary: options.summary } : {}),
    },
  }),
  record: (source: MediaSource): OutgoingSegmentOf<'record'> => ({ type: 'record', data: { uri: toUri(source) } }),
  video: (source: MediaSource, options: { thumb?: MediaSource } = {}): OutgoingSegmentOf<'video'> => ({
    type: 'video',
    data: { uri: toUri(source), ...(options.thumb !== undefined ? { thumb_uri: toUri(options.thumb) } : {}) },
  }),
  /** A bundle of messages, each shown as sent by `userId` under `senderName` (at `time`, Unix seconds, when given). */
  forward: (
    messages: ReadonlyArray<{ userId: number; senderName: string; segments: Content; time?: number }>,
    options: { title?: string; preview?: readonly string[]; summary?: string; prompt?: string } = {},
  ): OutgoingSegmentOf<'forward'> => ({
    type: 'forward',
    data: {
      messages: messages.map(
        (message): OutgoingForwardedMessage => ({
          user_id: message.userId,
          sender_name: message.senderName,
          segments: toSegments(message.segments),
          ...(message.time !== undefined ? { time: message.time } : {}),
        }),
      ),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.preview !== undefined ? { preview: [...options.preview] } : {}),
      ...(options.summary !== undefined ? { summary: options.summary } : {}),
      ...(options.prompt !== undefined ? { prompt: options.prompt } : {}),
    },
  }),
  lightApp: (jsonPayload: string | object): OutgoingSegmentOf<'light_app'> => ({
    type: 'light_app',
    data: { json_payload: typeof jsonPayload === 'string' ? jsonPayload : JSON.stringify(jsonPayload) },
  }),
};

/** What a message may be given as: a text, one segment, or segments (texts among them). */
export type Content = string | OutgoingSegment | ReadonlyArray<string | OutgoingSegment>;

/** Segments of a message given as text, a segment, or a list of both. */
export function toSegments(content: Content): OutgoingSegment[] {
  const list: ReadonlyArray<string | OutgoingSegment> =
    typeof content === 'string' ? [content] : Array.isArray(content) ? content : [content as OutgoingSegment];
  return list.map((part) => (typeof part === 'string' ? segment.text(part) : part));
}
