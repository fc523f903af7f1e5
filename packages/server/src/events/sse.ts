// Server-Sent Events clients of `/event`.
//
// Each event is sent as `id: <boot>-<n>`, `event: milky_event`, `data: <json>`; the message, framed
// as a chunk of the response's chunked encoding, is built once (the JSON's bytes copied from the
// WebSocket frame's payload, not encoded again) and written straight to every client's socket in
// batches (batch.ts), as WebSocket frames are; with no client connected, no message is built. The
// last events are kept, up to a count and a number of bytes, so that a client that reconnects
// with `Last-Event-ID` gets what it missed. `<boot>` tells instances apart: ids of an earlier run
// of the server cannot be resumed, so nothing is kept until the first SSE client of this run
// connects (before, no client can hold an id to resume from; keeping each event's bytes for
// nobody cost a server with only WebSocket clients about 13% more CPU per event, in
// scavenges). Keep-alive comments keep proxies from closing idle streams.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@milky/webhook';
import type { Metrics } from '../metrics.ts';
import { type Batched, batched, isBehind, TurnBatcher } from './batch.ts';
import { ReplayRing } from './replay.ts';

interface Client extends Batched {
  readonly response: ServerResponse;
  /** The response's socket: messages are written to it directly, framed once for all clients. */
  readonly stream: Socket;
  /** Whether the response is chunked (HTTP/1.1), or delimited by the end of the connection (HTTP/1.0). */
  readonly chunked: boolean;
  readonly remote: string | undefined;
}

/** A message as written on the wire: framed as an HTTP chunk, or bare (a view into the same bytes). */
class Message {
  private readonly chunked: Buffer;
  readonly bare: Buffer;

  /** `text`, then the bytes of `data` and `end` when given (an event's JSON and the blank line after it). */
  constructor(text: string, data?: Uint8Array, end = '') {
    const textLength = Buffer.byteLength(text);
    const length = textLength + (data?.length ?? 0) + end.length;
    const head = `${length.toString(16)}\r\n`;
    this.chunked = Buffer.allocUnsafe(head.length + length + 2);
    let at = this.chunked.write(head, 0, 'latin1');
    at += this.chunked.write(text, at, 'utf8');
    if (data) {
      this.chunked.set(data, at);
      at += data.length;
    }
    at += this.chunked.write(end, at, 'latin1');
    this.chunked.write('\r\n', at, 'latin1');
    this.bare = this.chunked.subarray(head.length, head.length + length);
  }

  /** The bytes for a client: one chunk of the chunked encoding, or the bare message. */
  for(client: Client): Buffer {
    return client.chunked ? this.chunked : this.bare;
  }
}

export interface SseClientsOptions {
  readonly keepAliveInterval: number;
  readonly retry: number;
  readonly replay: number;
  /** Most bytes of events kept for replay. */
  readonly replayBytes: number;
  readonly bufferLimit: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const keepAlive = new Message(': keep-alive\n\n');

export class SseClients {
  private readonly clients = new Set<Client>();
  private readonly options: SseClientsOptions;
  private readonly boot = Date.now().toString(36);
  /** The last events, kept for replay (`replay`, `replayBytes`): made a message only when a client resumes from before one. */
  private readonly kept: ReplayRing;
  /** Number of the last event sent. */
  private last = 0;
  /** Whether events are kept for replay: from the first SSE client of this run on, unless replay is off. */
  private keeping = false;
  private readonly timer: NodeJS.Timeout;
  private readonly batcher = new TurnBatcher<Client>((client) => client.stream.writable);

  constructor(options: SseClientsOptions) {
    this.options = options;
    this.kept = new ReplayRing(options.replay, options.replayBytes);
    // Keep-alives go to the socket at once rather than queued until the loop turns (unless events
    // are queued for it, which go first): the idle timer may fire in the same turn (after a stall
    // longer than the gap between them), and only bytes handed to the socket count as activity.
    this.timer = setInterval(() => {
      for (const client of this.clients) this.write(client, keepAlive, !this.batcher.has(client));
    }, options.keepAliveInterval);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream on `response`, replaying what a reconnecting client missed. */
  add(request: IncomingMessage, response: ServerResponse, lastEventId: string | undefined): void {
    this.keeping = this.options.replay > 0 && this.options.replayBytes > 0;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    const socket = response.socket;
    if (!socket) return;
    const client: Client = {
      response,
      stream: socket,
      chunked: response.chunkedEncoding,
      remote: request.socket.remoteAddress,
      ...batched(),
    };
    socket.write(new Message(`retry: ${this.options.retry}\n\n`).for(client));
    if (lastEventId !== undefined) this.replay(client, lastEventId);
    this.clients.add(client);
    response.on('close', () => {
      client.gone = true;
      this.clients.delete(client);
    });
  }

  private replay(client: Client, lastEventId: string): void {
    const [boot, number] = lastEventId.trim().split('-');
    const seen = Number(number);
    if (boot !== this.boot || !Number.isInteger(seen) || seen < 0 || seen > this.last) {
      client.stream.write(
        new Message(': the events before this connection cannot be replayed (the id is from another run of the server)\n\n').for(client),
      );
      return;
    }
    const size = this.kept.size;
    const oldest = this.last - size + 1;
    const first = Math.max(seen + 1, oldest, 1);
    const missed = first - (seen + 1);
    if (missed > 0) {
      client.stream.write(new Message(`: ${missed} events are too old to be replayed\n\n`).for(client));
      this.options.logger.warn('SSE client resumed too late to replay everything', { remote: client.remote, missed });
    }
    for (let n = first; n <= this.last; n++) {
      const kept = this.kept.get(n - oldest);
      if (kept) client.stream.write(this.message(n, kept).for(client));
    }
  }

  /** Event number `n` as an SSE message. */
  private message(n: number, json: Uint8Array): Message {
    return new Message(`id: ${this.boot}-${n}\nevent: milky_event\ndata: `, json, '\n\n');
  }

  /**
   * Sends one event's JSON (its UTF-8 bytes) to every client, and keeps a copy for replay.
   */
  broadcast(json: Uint8Array): void {
    const n = ++this.last;
    if (!this.keeping && this.clients.size === 0) return;
    const message = this.clients.size > 0 ? this.message(n, json) : undefined;
    if (this.keeping) this.kept.push(json);
    if (message) for (const client of this.clients) this.write(client, message);
  }

  /** The events kept for replay now: how many, and their bytes. */
  get replayBuffer(): { events: number; bytes: number } {
    return { events: this.kept.size, bytes: this.kept.bytes };
  }

  private write(client: Client, message: Message, now = false): void {
    const bytes = message.for(client);
    if (isBehind(client, bytes.length, this.options.bufferLimit)) this.drop(client);
    else if (now) client.stream.write(bytes);
    else this.batcher.write(client, bytes);
  }

  private drop(client: Client): void {
    if (client.gone) return;
    client.gone = true;
    this.clients.delete(client);
    this.options.metrics.dropped('sse', 'slow');
    this.options.logger.warn('SSE client too slow to keep up, disconnected (it may resume with Last-Event-ID)', {
      remote: client.remote,
      unsentBytes: client.stream.writableLength,
      limit: this.options.bufferLimit,
    });
    client.response.destroy();
  }

  /** Ends every stream. */
  closeAll(): void {
    clearInterval(this.timer);
    this.batcher.flush();
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }
}
