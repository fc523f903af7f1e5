// The client as browsers and workers import it (the `browser` condition): everything but the
// WebHook receiver, which takes requests of node:http and compares tokens with node:crypto.

export { MilkyApiError, retcodes } from '@milky/types';
export type { CallArgs, CallOptions, CallOptionsFor, RetryOptions, Validation } from './call.ts';
export { type ClientOptions, type MessageLike, type MilkyApi, MilkyClient } from './client.ts';
export { unsupportedSegment } from './compat.ts';
export * from './errors.ts';
export type { EventStreamOptions, ReconnectOptions } from './events/connection.ts';
export type { InvalidEvent, IteratorOptions, MilkyEventMap, MilkyEvents, Received, Transport } from './events/emitter.ts';
export type { Logger } from './logger.ts';
export { type Content, type MediaSource, segment, toSegments, toUri } from './segments.ts';
export type { ServerInfo } from './server-version.ts';
