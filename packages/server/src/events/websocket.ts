// WebSocket clients of `/event`.
//
// Each event is framed once (a text frame holding its JSON, encoded into the frame's own buffer)
// and the same bytes are written to every client's socket, in batches (batch.ts). A client that
// falls behind by more than the limit is disconnected (1008); a client that does not answer a ping
// before the next one is dropped as dead.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@milky/webhook';
import type { WebSocket } from 'ws';
import type { DropReason, Metrics } from '../metrics.ts';
import { type Batched, batched, isBehind, TurnBatcher } from './batch.ts';

interface Client extends Batched {
  readonly ws: WebSocket;
  readonly stream: Duplex;
  readonly remote: string | undefined;
  alive: boolean;
}

/** The length of the header of a frame carrying `length` bytes (RFC 6455, 5.2). */
function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65536 ? 4 : 10;
}

/** Writes the header of an unmasked, final text frame carrying `length` bytes at the start of `target`. */
function writeTextFrameHeader(target: Buffer, length: number): void {
  target[0] = 0x81;
  if (length < 126) target[1] = length;
  else if (length < 65536) {
    target[1] = 126;
    target.writeUInt16BE(length, 2);
  } else {
    target[1] = 127;
    target.writeBigUInt64BE(BigInt(length), 2);
  }
}

/**
 * `text` as an unmasked, final text frame, encoded once into one buffer: the frame's header, then
 * the text's `length` bytes of UTF-8 (its payload, `frame.subarray(frame.length - length)`).
 */
export function textFrame(text: string, length = Buffer.byteLength(text)): Buffer {
  const header = headerLength(length);
  const frame = Buffer.allocUnsafe(header + length);
  writeTextFrameHeader(frame, length);
  frame.write(text, header, length, 'utf8');
  return frame;
}

export interface WebSocketClientsOptions {
  readonly heartbeatInterval: number;
  readonly bufferLimit: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export class WebSocketClients {
  private readonly clients = new Set<Client>();
  private readonly options: WebSocketClientsOptions;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly batcher = new TurnBatcher<Client>((client) => client.ws.readyState === client.ws.OPEN);

  constructor(options: WebSocketClientsOptions) {
    this.options = options;
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatInterval);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Adopts an upgraded connection; `socket` is the one the upgrade came on. */
  add(ws: WebSocket, socket: Duplex, request: IncomingMessage): void {
    const client: Client = {
      ws,
      stream: socket,
      remote: request.socket.remoteAddress,
      alive: true,
      ...batched(),
    };
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('close', () => {
      client.gone = true;
      this.clients.delete(client);
    });
    ws.on('error', (error) => this.options.logger.debug?.('WebSocket client error', { remote: client.remote, error: error.message }));
    // Apps only listen; a message from one is ignored.
    ws.on('message', () => {});
  }

  /** Sends one event, framed by `textFrame`, to every client. */
  broadcast(frame: Buffer): void {
    for (const client of this.clients) {
      if (isBehind(client, frame.length, this.options.bufferLimit)) this.drop(client, 'slow');
      else this.batcher.write(client, frame);
    }
  }

  private beat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.drop(client, 'heartbeat');
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  private drop(client: Client, reason: DropReason): void {
    if (client.gone) return;
    client.gone = true;
    this.clients.delete(client);
    this.options.metrics.dropped('websocket', reason);
    if (reason === 'slow') {
      this.options.logger.warn('WebSocket client too slow to keep up, disconnected with 1008', {
        remote: client.remote,
        unsentBytes: client.stream.writableLength,
        limit: this.options.bufferLimit,
      });
      client.ws.close(1008, 'too slow: send buffer full');
      setTimeout(() => client.ws.terminate(), 1000).unref();
    } else {
      this.options.logger.warn('WebSocket client did not answer the heartbeat, dropped', { remote: client.remote });
      client.ws.terminate();
    }
  }

  /** Closes every connection with `code` and waits for them to end, at most `wait` ms. */
  async closeAll(code: number, reason: string, wait: number): Promise<void> {
    clearInterval(this.heartbeat);
    this.batcher.flush();
    const closing = [...this.clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.ws.readyState === client.ws.CLOSED) {
            resolve();
            return;
          }
          client.ws.once('close', () => resolve());
          client.ws.close(code, reason);
        }),
    );
    const timer = setTimeout(() => {
      for (const client of this.clients) client.ws.terminate();
    }, wait);
    await Promise.all(closing);
    clearTimeout(timer);
  }
}
