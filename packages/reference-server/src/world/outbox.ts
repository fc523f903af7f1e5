// The outbox layer: the only place a transaction of the world is opened. A change runs in one
// transaction and collects its events; they are sent once it has committed, and dropped with it
// when it rolls back. Domain services call `change`; handlers, the sandbox and the seed call the
// domain services.

import type { Event, EventData, EventType, IncomingMessage } from '@milky/types';
import type { Database } from './database.ts';

/** What a change collects to send once it has committed. */
export interface Outbox {
  /** Sends the event `type` once the change has committed. */
  emit<T extends EventType>(type: T, data: EventData<T>): void;
  /** A message was stored (the bot's own too, whether or not it is reported as an event); rendered only when someone listens. */
  stored(message: () => IncomingMessage): void;
}

/** Runs changes in transactions and sends their events to listeners after commit. */
export class Transactions {
  private readonly db: Database;
  private readonly now: () => number;
  private readonly selfId: () => number;
  private listeners: Array<(event: Event) => void> = [];
  private messageListeners: Array<(message: IncomingMessage) => void> = [];
  private silenced = 0;
  /** The outbox of the change running now: a change inside another joins it. */
  private current: Outbox | undefined;

  constructor(db: Database, now: () => number, selfId: () => number) {
    this.db = db;
    this.now = now;
    this.selfId = selfId;
  }

  /** Calls `listener` with every event, after the change that made it has committed. */
  onEvent(listener: (event: Event) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Calls `listener` with every message stored, the bot's own included, once its change has committed. */
  onMessage(listener: (message: IncomingMessage) => void): () => void {
    this.messageListeners.push(listener);
    return () => {
      this.messageListeners = this.messageListeners.filter((other) => other !== listener);
    };
  }

  /**
   * Runs a change in one transaction and sends the events it collected once it has committed; a
   * throw rolls the change back and sends nothing. `work` must be synchronous.
   */
  change<T>(work: (outbox: Outbox) => T): T {
    if (this.current) return this.db.transaction(() => work(this.current as Outbox));
    const events: Event[] = [];
    const messages: IncomingMessage[] = [];
    const time = this.now();
    const outbox: Outbox = {
      emit: (type, data) => {
        if (this.silenced === 0) events.push({ time, self_id: this.selfId(), event_type: type, data } as Event);
      },
      stored: (message) => {
        if (this.silenced === 0 && this.messageListeners.length > 0) messages.push(message());
      },
    };
    this.current = outbox;
    let result: T;
    try {
      result = this.db.transaction(() => {
        const value = work(outbox);
        if (value instanceof Promise) throw new TypeError('a world change must be synchronous');
        return value;
      });
    } finally {
      this.current = undefined;
    }
    for (const event of events) for (const listener of this.listeners) listener(event);
    for (const message of messages) for (const listener of this.messageListeners) listener(message);
    return result;
  }

  /** Runs `work` without sending events (seeding). */
  silently<T>(work: () => T): T {
    this.silenced++;
    try {
      return work();
    } finally {
      this.silenced--;
    }
  }
}
