// The last events of a run, kept for SSE clients that resume with `Last-Event-ID`: their JSON
// bytes copied into one ring of `bytes` bytes (made at the first event kept), and where each lies
// in it. Nothing is kept per event but two numbers: keeping each event's own buffer held a
// thousand objects and their memory alive through every scavenge, about 13 µs of CPU per event.

export class ReplayRing {
  private readonly limit: number;
  private readonly capacity: number;
  private ring: Buffer | undefined;
  /** Where each kept event starts in the ring and how long it is, oldest first from `head`. */
  private starts: number[] = [];
  private lengths: number[] = [];
  private head = 0;
  /** Where the next event is written. */
  private at = 0;
  private kept = 0;

  /** At most `limit` events, in at most `bytes` bytes. */
  constructor(limit: number, bytes: number) {
    this.limit = limit;
    this.capacity = bytes;
  }

  /** How many events are kept. */
  get size(): number {
    return this.starts.length - this.head;
  }

  /** The bytes of the events kept. */
  get bytes(): number {
    return this.kept;
  }

  /**
   * Keeps an event's bytes (copied), letting the oldest go while there are too many or their
   * place is needed. An event larger than the ring is not kept, and neither is anything before it
   * (the events kept stay the last ones, without a gap).
   */
  push(json: Uint8Array): void {
    const length = json.length;
    if (this.limit === 0 || length > this.capacity) {
      this.drop(this.size);
      return;
    }
    this.ring ??= Buffer.allocUnsafeSlow(this.capacity);
    // Events are written one after another; one that does not fit before the end starts again at 0.
    if (this.at + length > this.capacity) {
      while (this.size > 0 && (this.starts[this.head] as number) >= this.at) this.drop(1);
      this.at = 0;
    }
    // The oldest events lie just after `at` (once the ring has turned): those in the way go.
    while (this.size > 0 && (this.starts[this.head] as number) >= this.at && (this.starts[this.head] as number) < this.at + length) {
      this.drop(1);
    }
    if (this.size >= this.limit) this.drop(this.size - this.limit + 1);
    this.ring.set(json, this.at);
    this.starts.push(this.at);
    this.lengths.push(length);
    this.at += length;
    this.kept += length;
  }

  /** The `index`th event kept (0 the oldest), a view into the ring: valid until the next `push`. */
  get(index: number): Uint8Array | undefined {
    if (!this.ring || index < 0 || index >= this.size) return undefined;
    const start = this.starts[this.head + index] as number;
    return new Uint8Array(this.ring.buffer, this.ring.byteOffset + start, this.lengths[this.head + index] as number);
  }

  /** Lets the `count` oldest events go. */
  private drop(count: number): void {
    for (let i = 0; i < count; i++) this.kept -= this.lengths[this.head + i] as number;
    this.head += count;
    if (this.head === this.starts.length) {
      this.starts = [];
      this.lengths = [];
      this.head = 0;
      this.at = 0;
    } else if (this.head > 1024 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.lengths = this.lengths.slice(this.head);
      this.head = 0;
    }
  }
}
