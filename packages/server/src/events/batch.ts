// Writing one message to many streams, in batches: a stream is corked at its first write in a
// turn of the event loop and uncorked when the loop turns, so that a burst of messages leaves as
// one write per stream instead of one per message, and a lone message waits for nothing longer
// than the current turn.

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
  corked: boolean;
  /** Bytes written since the stream was corked in this turn. */
  turnBytes: number;
}

/**
 * Whether a client has fallen behind: more than `limit` bytes still unsent from earlier turns of
 * the loop (what it did not take in time), or, whatever the reason, four times `limit` waiting
 * (a burst that large is not kept in memory for anyone).
 */
export function isBehind(client: Batched, next: number, limit: number): boolean {
  const unsent = client.stream.writableLength;
  return unsent - client.turnBytes > limit || unsent + next > 4 * limit;
}

export class TurnBatcher {
  private corked: Batched[] = [];
  private scheduled = false;

  /** Writes `chunk` to the client's stream, corked until the loop turns. */
  write(client: Batched, chunk: Buffer): void {
    if (!client.corked) {
      client.corked = true;
      client.stream.cork();
      this.corked.push(client);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    }
    client.turnBytes += chunk.length;
    client.stream.write(chunk);
  }

  /** Uncorks every stream corked in this turn. */
  readonly flush = (): void => {
    this.scheduled = false;
    const corked = this.corked;
    this.corked = [];
    for (const client of corked) {
      client.corked = false;
      client.turnBytes = 0;
      client.stream.uncork();
    }
  };
}
