// The outbox layer: the only place a transaction of the world is opened. A change runs in one
// transaction and collects its events; they are sent once it has committed, and dropped with it
// when it rolls back. Domain services call `change`; handlers, the sandbox and the seed call the
// domain services. With `commitPerTurn`, the changes of a turn of the event loop in which calls
// arrived share one commit (see `Transactions.commitPerTurn`).

import type { Event, EventData, EventType, IncomingMessage } from '@milky/types';
import type { Database } from './database.ts';

/** What a change collects to send once it has committed. */
export interface Outbox {
  /** Sends the event `type` once the change has committed. */
  emit<T extends EventType>(type: T, data: EventData<T>): void;
  /** A message was stored (the bot's own too, whether or not it is reported as an event); rendered only when someone listens. */
  stored(message: () => IncomingMessage): void;
}

/** Told what no caller can be: `what` happened, because of `error`. */
export type Report = (what: string, error: unknown) => void;

/** What a call that comes, or still waits for its turn, once the world has closed is refused with. */
const closedWorld = () => new Error('the world is closed');

/** What the changes of one turn wait for: their shared commit. */
interface Batch {
  /** The events and stored messages of each change that kept them, in the order of the changes. */
  readonly changes: Array<{ readonly events: Event[]; readonly messages: IncomingMessage[] }>;
  /** Resolved after the commit and the events; rejected when the batch rolled back. Made when first asked for. */
  committed: Promise<void> | undefined;
  settle: ((outcome: { readonly ok: true } | { readonly ok: false; readonly error: unknown }) => void) | undefined;
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
  /** Set by `commitPerTurn`: where what no caller can be told goes (a listener's throw, a turn rolled back). */
  private perTurn: Report | undefined;
  /** Whether the changes of this turn share its commit (`shareTurn`). */
  private sharing = false;
  /** The changes of this turn, in an outer transaction that commits once the turn's I/O is done. */
  private batch: Batch | undefined;
  /** The calls that arrived in this turn (`answer`), waiting to run together at its end. */
  private calls: Array<{ readonly run: () => void; readonly refuse: (error: Error) => void }> = [];
  /** Set by `close`: calls that have not run are refused. */
  private closed = false;

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
   * From now on, the changes of a turn of the event loop marked by `shareTurn` share one commit:
   * the first opens a transaction, each runs in a savepoint of it (a throw rolls back that change
   * alone), and the transaction commits in a `setImmediate` callback, after the turn's I/O
   * callbacks and their microtasks, so that the calls that arrived together commit together.
   * The calls themselves (`answer`) run back to back at the end of their turn, in the order they
   * arrived, rather than each as its request is read: the world's statements and pages stay in
   * the processor's caches from one call to the next (a send under load cost about 15% less CPU).
   * Events are sent after that commit, in the order of the changes; whoever answers for a change
   * waits for `after` (or runs through `answer`). No caller is left to take a listener's throw
   * then: it goes to `report`, and the other listeners and events still get theirs; so does a
   * turn's failed commit, which its waiters are told of too.
   */
  commitPerTurn(report: Report): void {
    this.perTurn = report;
  }

  /**
   * Marks this turn of the event loop (with `commitPerTurn`; else does nothing): its changes from
   * now on share one commit at its end. A change made in another turn (after a download, or by
   * code driving the world directly) commits on its own, at once.
   */
  shareTurn(): void {
    if (this.perTurn === undefined || this.sharing) return;
    this.sharing = true;
    setImmediate(() => this.endTurn());
  }

  /**
   * The end of a marked turn: the calls that arrived in it run now, back to back; their changes
   * (made in the microtasks that follow) commit in the next turn's `setImmediate` callback, and
   * calls that arrived meanwhile then start a turn of their own. With no call waiting, the turn
   * commits at once.
   */
  private endTurn(): void {
    const calls = this.calls.splice(0);
    if (calls.length === 0) {
      this.sharing = false;
      this.flush();
      return;
    }
    for (const call of calls) call.run();
    setImmediate(() => {
      this.sharing = false;
      try {
        this.flush();
      } finally {
        if (this.calls.length > 0) this.shareTurn();
      }
    });
  }

  /**
   * Runs `work` for a call (an API call or a sandbox action) and settles with its result or its
   * failure only once the changes made so far have committed, so that no app sees an answer, or
   * data, that a failed commit would take back. When the commit fails, its failure is the call's:
   * what the call did was rolled back with it. With `commitPerTurn`, `work` waits for the end of
   * its turn and runs there with the turn's other calls (see `commitPerTurn`); without, at once.
   */
  answer<T>(work: () => T | Promise<T>): T | Promise<T> {
    if (this.perTurn === undefined) return this.settle(work);
    if (this.closed) return Promise.reject(closedWorld());
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        try {
          resolve(this.settle(work));
        } catch (error) {
          reject(error);
        }
      };
      this.calls.push({ run, refuse: reject });
      this.shareTurn();
    });
  }

  /** Runs `work` now; its result or failure once the changes made so far have committed. */
  private settle<T>(work: () => T | Promise<T>): T | Promise<T> {
    let result: T | Promise<T>;
    try {
      result = work();
    } catch (error) {
      return this.failAfter(error);
    }
    return result instanceof Promise
      ? result.then(
          (value) => this.after(value),
          (error) => this.failAfter(error),
        )
      : this.after(result);
  }

  /** Throws `error` once the changes made so far have committed (at once when none waits). */
  private failAfter(error: unknown): Promise<never> {
    if (!this.batch) throw error;
    return (this.after(undefined) as Promise<undefined>).then(() => {
      throw error;
    });
  }

  /**
   * Runs a change in one transaction and sends the events it collected once it has committed; a
   * throw rolls the change back and sends nothing. `work` must be synchronous. With
   * `commitPerTurn`, the change is a savepoint of the turn's transaction and its events wait for
   * the turn's commit.
   */
  change<T>(work: (outbox: Outbox) => T): T {
    if (this.current) return this.db.transaction(() => work(this.current as Outbox));
    if (this.sharing && !this.batch) this.open();
    const batch = this.batch;
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
    } catch (error) {
      // A failure that ended the whole transaction took the turn's earlier changes with it.
      if (batch && !this.db.inOuter) this.fail(batch, error);
      throw error;
    } finally {
      this.current = undefined;
    }
    if (batch) {
      if (events.length > 0 || messages.length > 0) batch.changes.push({ events, messages });
    } else this.deliver([{ events, messages }]);
    return result;
  }

  /**
   * `value` once the changes made so far have committed: at once when none waits for a commit,
   * else a promise resolved after the turn's commit (and its events), rejected if it failed.
   */
  after<T>(value: T): T | Promise<T> {
    const batch = this.batch;
    if (!batch) return value;
    batch.committed ??= new Promise<void>((resolve, reject) => {
      batch.settle = (outcome) => (outcome.ok ? resolve() : reject(outcome.error));
    });
    return batch.committed.then(() => value);
  }

  /**
   * Ends the world's transactions for good (closing the world does): the calls still waiting for
   * their turn are refused, the changes made commit now and their events are sent.
   */
  close(): void {
    this.closed = true;
    for (const call of this.calls.splice(0)) call.refuse(closedWorld());
    this.flush();
  }

  /** Commits the turn's changes now (closing the world does), and sends their events. */
  flush(): void {
    const batch = this.batch;
    if (!batch) return;
    try {
      this.db.endOuter(true);
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    this.batch = undefined;
    try {
      this.deliver(batch.changes, this.perTurn);
    } finally {
      batch.settle?.({ ok: true });
    }
  }

  /** Opens the turn's transaction; the callback `shareTurn` scheduled commits it. */
  private open(): void {
    this.db.beginOuter();
    this.batch = { changes: [], committed: undefined, settle: undefined };
  }

  /** Ends a batch that failed: rolls back what is left of it, drops its events, fails its waiters and reports it. */
  private fail(batch: Batch, failure: unknown): void {
    this.batch = undefined;
    this.db.endOuter(false);
    const error = failure instanceof Error ? failure : new Error(String(failure));
    this.perTurn?.(`the changes of a turn were rolled back (${batch.changes.length} with events or messages)`, error);
    batch.settle?.({ ok: false, error });
  }

  /**
   * Sends each change's events, then its stored messages, change by change. A listener's throw
   * goes to `report` when given, else to the caller (ending the sending).
   */
  private deliver(changes: Batch['changes'], report?: Report): void {
    const call = <A>(listener: (argument: A) => void, argument: A) => {
      if (!report) return listener(argument);
      try {
        listener(argument);
      } catch (error) {
        report('a listener of the world failed on an event', error);
      }
    };
    for (const { events, messages } of changes) {
      for (const event of events) for (const listener of this.listeners) call(listener, event);
      for (const message of messages) for (const listener of this.messageListeners) call(listener, message);
    }
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
