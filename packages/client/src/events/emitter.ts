// Where events reach the app, whatever brought them (WebSocket, SSE, WebHook): parsed, validated
// (leniently by default), decoded by the compatibility rules (compat.ts), and handed out as typed
// notifications, through an async iterator, and raw. Nothing is dropped silently: an event that
// does not parse or validate becomes an `invalid` notification and a log line; an event of a type
// this version does not know is ignored as the rules say, but announced as `unknown` (and logged);
// an iterator that falls behind counts and logs what it skips.

import { EventEmitter } from 'node:events';
import {
  type Event,
  type EventOf,
  Event as EventSchema,
  type EventType,
  eventValidator,
  isKnownEvent,
  MilkyValidationError,
  type UnknownEvent,
  type ValidationIssue,
  type Validator,
} from '@milky/types';
import type { Validation } from '../call.ts';
import { Compatibility } from '../compat.ts';
import type { Logger } from '../logger.ts';

export type Transport = 'websocket' | 'sse' | 'webhook';

/** An event that could not be taken: not JSON, or not what the protocol says. */
export interface InvalidEvent {
  /** The event as it came. */
  readonly raw: string;
  readonly error: Error;
  /** What is wrong, when the event parsed but did not validate. */
  readonly issues: readonly ValidationIssue[];
}

/** Everything a client or a WebHook receiver emits: one notification per event type, and these. */
export type MilkyEventMap = { [T in EventType]: [event: EventOf<T>] } & {
  /** Every event of a type this version of the protocol defines. */
  event: [event: Event];
  /**
   * An event of a type this version of the protocol does not define, as it came. The protocol's
   * compatibility rules say to ignore it: it reaches neither `event` nor the iterators.
   */
  unknown: [event: UnknownEvent];
  /** The JSON text of every event, before anything is done with it. */
  raw: [json: string];
  /** An event that could not be taken. */
  invalid: [invalid: InvalidEvent];
  /** The event stream is connected. */
  connected: [info: { transport: Transport }];
  /** The event stream broke and will be opened again after `delay` ms. */
  reconnecting: [info: { attempt: number; delay: number; error: Error }];
  /** The event stream ended: closed by the app, or failed for good (`error`). */
  disconnected: [info: { error: Error | undefined }];
};

/** What `event` and the iterators hand out: events of the types this version defines. */
export type Received = Event;

export interface IteratorOptions {
  /** Most events waiting to be taken from the iterator; older ones are skipped beyond it (and counted). Default 1000. */
  readonly buffer?: number;
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
}

export class MilkyEvents extends EventEmitter<MilkyEventMap> {
  protected readonly logger: Logger;
  private readonly check: Validator<Event | UnknownEvent> | undefined;
  private readonly compatibility: Compatibility;
  /** Whether events are decoded by the compatibility rules (lenient validation). */
  private readonly decode: boolean;
  private readonly iterators = new Set<(event: Received | undefined) => void>();

  constructor(options: { validation: Validation; logger: Logger }) {
    super();
    this.logger = options.logger;
    this.check = options.validation === 'off' ? undefined : eventValidator(options.validation);
    this.compatibility = new Compatibility(options.logger);
    this.decode = options.validation === 'lenient';
  }

  /** Takes one event as JSON text, as any transport delivers it. */
  ingest(raw: string): void {
    this.emit('raw', raw);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      this.reject(raw, error as Error, []);
      return;
    }
    if (this.check && !this.check.check(value)) {
      const issues = this.check.issues(value);
      this.reject(raw, new MilkyValidationError('event', issues), issues);
      return;
    }
    if (typeof value !== 'object' || value === null || typeof (value as { event_type?: unknown }).event_type !== 'string') {
      this.reject(raw, new TypeError('the event is not an object with an event_type'), []);
      return;
    }
    const received = value as Event | UnknownEvent;
    if (!isKnownEvent(received)) {
      this.compatibility.ignoredEvent(received.event_type);
      (this.emit as (name: 'unknown', event: UnknownEvent) => boolean).call(this, 'unknown', received as UnknownEvent);
      return;
    }
    const event = this.decode ? this.compatibility.apply(EventSchema, received) : received;
    // One notification named by the event's own type, then `event`.
    const emit = this.emit as (name: keyof MilkyEventMap, event: Received) => boolean;
    emit.call(this, event.event_type, event);
    emit.call(this, 'event', event);
    for (const push of this.iterators) push(event);
  }

  private reject(raw: string, error: Error, issues: readonly ValidationIssue[]): void {
    this.logger.warn('event not taken', { reason: error.message, raw: raw.length > 300 ? `${raw.slice(0, 300)}…` : raw });
    this.emit('invalid', { raw, error, issues });
  }

  /** Ends every iterator (the source is closed). */
  protected endIterators(): void {
    for (const push of this.iterators) push(undefined);
  }

  /**
   * The events from the moment of this call, known or not, until the source is closed or `signal`
   * aborts. An event arriving while `next()` waits goes straight to it; others wait in a buffer of
   * `buffer` events, beyond which the oldest are skipped (counted and logged).
   */
  events(options: IteratorOptions = {}): AsyncIterableIterator<Received> {
    const limit = options.buffer ?? 1000;
    const queue: Received[] = [];
    let skipped = 0;
    let ended = false;
    let waiting: ((result: IteratorResult<Received>) => void) | undefined;
    const finish = (): IteratorResult<Received> => ({ value: undefined, done: true });
    const end = () => {
      ended = true;
      this.iterators.delete(push);
      options.signal?.removeEventListener('abort', end);
      waiting?.(finish());
      waiting = undefined;
    };
    const push = (event: Received | undefined) => {
      if (event === undefined) {
        end();
        return;
      }
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
        return;
      }
      if (queue.length >= limit) {
        queue.shift();
        if (skipped++ % 100 === 0) this.logger.warn('event iterator fell behind, skipping its oldest events', { skipped, buffer: limit });
      }
      queue.push(event);
    };
    this.iterators.add(push);
    if (options.signal?.aborted) end();
    else options.signal?.addEventListener('abort', end, { once: true });
    return {
      next: () => {
        const event = queue.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        if (ended) return Promise.resolve(finish());
        return new Promise((resolve) => {
          waiting = resolve;
        });
      },
      return: () => {
        end();
        return Promise.resolve(finish());
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
