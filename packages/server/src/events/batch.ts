// Writing one message to many streams, in batches: what a client is sent in a turn of the event
// loop is queued and handed to its stream when the loop turns, as one write (a burst of messages
// leaves as one vectored write per stream instead of one per message), and a lone message waits
// for nothing longer than the current turn. The queue is the client's own array, reused from turn
// to turn, so that queuing a message allocates nothing.

/** A stream written to in batches: a socket, or an HTTP response. */
export interface Corkable {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer): boolean;
  readonly writableLength: number;
}

/** The batching state of one client's stream. */
export interface Batched {
  readonly stream: Corkable;
  /** What the client is sent in this turn of the loop, not yet handed to its stream. */
  readonly queued: Buffer[];
  /** Bytes of `queued`. */
  queuedBytes: number;
  /** Whether the client is gone: what is queued for it is let go rather than written. */
  gone: boolean;
}

/** The batching state of a new client's stream. */
export function batched(): Pick<Batched, 'queued' | 'queuedBytes' | 'gone'> {
  return { queued: [], queuedBytes: 0, gone: false };
}

/**
 * Whether a client has fallen behind: more than `limit` bytes still unsent from earlier turns of
 * the loop (what it did not take in time), or, whatever the reason, four times `limit` waiting
 * (a burst that large is not kept in memory for anyone).
 */
export function isBehind(client: Batched, next: number, limit: number): boolean {
  const unsent = client.stream.writableLength;
  return unsent > limit || unsent + client.queuedBytes + next > 4 * limit;
}

/**
 * Queues what clients are sent in a turn of the loop and writes it when the loop turns, to each
 * client that can still take it: `open` says whether one can (a WebSocket whose closing handshake
 * began in the same turn must not be sent data after its Close frame).
 */
export class TurnBatcher<C extends Batched> {
  private queued: C[] = [];
  private scheduled = false;
  private readonly open: (client: C) => boolean;

  constructor(open: (client: C) => boolean) {
    this.open = open;
  }

  /** Queues `chunk` for the client's stream, written when the loop turns. */
  write(client: C, chunk: Buffer): void {
    if (client.queued.length === 0) {
      this.queued.push(client);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    }
    client.queuedBytes += chunk.length;
    client.queued.push(chunk);
  }

  /** Whether something is queued for the client in this turn. */
  has(client: C): boolean {
    return client.queued.length > 0;
  }

  /** Writes what this turn queued to each client's stream: one write each, vectored when there are several chunks. */
  readonly flush = (): void => {
    this.scheduled = false;
    const queued = this.queued;
    this.queued = [];
    for (const client of queued) {
      const chunks = client.queued;
      if (!client.gone && this.open(client)) {
        if (chunks.length === 1) client.stream.write(chunks[0] as Buffer);
        else {
          client.stream.cork();
          for (const chunk of chunks) client.stream.write(chunk);
          client.stream.uncork();
        }
      }
      chunks.length = 0;
      client.queuedBytes = 0;
    }
  };
}
