// Appending events to the streams: bounded in count and in bytes (a drop is counted and logged),
// and batched, the events received in one turn of the event loop going in one transaction.

import type { Event } from '@milky/types';
import type { Redis } from 'ioredis';
import { entryFields, groupMessageKey } from './entry.ts';
import type { Keys } from './keys.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** What an Appender writes to, its bounds, and whom it tells. */
export interface AppenderOptions<State> {
  readonly redis: Redis;
  readonly keys: Keys;
  readonly maxLen: number;
  readonly maxEventBytes: number;
  readonly maxQueued: number;
  readonly maxQueuedBytes: number;
  readonly seenTtl: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Called for each event appended, with its entry id in the combined stream. */
  readonly appended: (state: State, uin: number, entryId: string) => void;
}

interface Pending<State> {
  readonly state: State;
  readonly uin: number;
  readonly event: Event;
  readonly fields: string[];
  readonly sourceId: string | undefined;
  readonly bytes: number;
}

/** Most events appended in one transaction. */
const batchLimit = 512;

/** A positive integer option, or a TypeError naming the field. */
export function positive(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${field}: expected a positive integer, got ${value}`);
  return value;
}

/** Appends events to their account's stream and the combined one, bounded and batched. */
export class Appender<State> {
  private readonly options: AppenderOptions<State>;
  private queued = 0;
  private queuedBytes = 0;
  private readonly writes = new Set<Promise<void>>();
  private pendingBatch: Array<Pending<State>> = [];

  constructor(options: AppenderOptions<State>) {
    this.options = options;
  }

  append(state: State, uin: number, event: Event, sourceId: string | undefined): void {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.options.maxEventBytes) {
      this.drop(uin, 'too_large', { type: event.event_type, bytes, limit: this.options.maxEventBytes });
      return;
    }
    if (this.queued >= this.options.maxQueued || this.queuedBytes + bytes > this.options.maxQueuedBytes) {
      this.drop(uin, 'queue_full', { type: event.event_type, queued: this.queued, queuedBytes: this.queuedBytes });
      return;
    }
    this.queued++;
    this.queuedBytes += bytes;
    this.options.metrics.set('milky_broker_queued_events', {}, this.queued);
    this.pendingBatch.push({ state, uin, event, fields: entryFields(uin, event, json, sourceId), sourceId, bytes });
    if (this.pendingBatch.length >= batchLimit) this.writeBatch();
    else if (this.pendingBatch.length === 1) setImmediate(() => this.writeBatch());
  }

  /**
   * Appends the events received in this turn of the event loop in one transaction: for each, to
   * its account's stream and the combined one, with its SSE id kept and, for a group message, the
   * account added to those that received it.
   */
  private writeBatch(): void {
    const batch = this.pendingBatch;
    if (batch.length === 0) return;
    this.pendingBatch = [];
    const transaction = this.options.redis.multi();
    const combinedAt: number[] = [];
    /** The last SSE id of each account in the batch, kept after its events. */
    const resumeFrom = new Map<number, string>();
    let index = 0;
    for (const { uin, event, fields, sourceId } of batch) {
      transaction.xadd(this.options.keys.account(uin), 'MAXLEN', '~', this.options.maxLen, '*', ...fields);
      transaction.xadd(this.options.keys.combined, 'MAXLEN', '~', this.options.maxLen, '*', ...fields);
      combinedAt.push(index + 1);
      index += 2;
      if (sourceId !== undefined) resumeFrom.set(uin, sourceId);
      const message = groupMessageKey(event);
      if (message) {
        const seen = this.options.keys.seen(message.groupId, message.messageSeq);
        transaction.sadd(seen, String(uin)).expire(seen, this.options.seenTtl);
        index += 2;
      }
    }
    for (const [uin, id] of resumeFrom) transaction.set(this.options.keys.resume(uin), id);
    const write = transaction
      .exec()
      .then((results) => {
        const failed = results?.find(([error]) => error);
        if (!results || failed) throw failed?.[0] ?? new Error('the transaction was discarded');
        for (const [position, { state, uin }] of batch.entries()) {
          this.options.metrics.add('milky_broker_events_appended_total', { account: uin });
          this.options.appended(state, uin, String(results[combinedAt[position] as number]?.[1]));
        }
      })
      .catch((error: unknown) => {
        this.options.metrics.add('milky_broker_redis_errors_total', {}, batch.length);
        this.options.logger.error('events could not be appended to Redis', {
          events: batch.map(({ uin, event }) => `${uin}:${event.event_type}`),
          error: String(error),
        });
      })
      .finally(() => {
        this.queued -= batch.length;
        this.queuedBytes -= batch.reduce((sum, item) => sum + item.bytes, 0);
        this.options.metrics.set('milky_broker_queued_events', {}, this.queued);
        this.writes.delete(write);
      });
    this.writes.add(write);
  }

  private drop(uin: number, reason: string, fields: Record<string, unknown>): void {
    this.options.metrics.add('milky_broker_events_dropped_total', { account: uin, reason });
    this.options.logger.error('event dropped', { account: uin, reason, ...fields });
  }

  /** Waits until every event given so far is appended (or has failed, logged). */
  async flush(): Promise<void> {
    this.writeBatch();
    while (this.writes.size > 0) await Promise.all(this.writes);
  }
}
