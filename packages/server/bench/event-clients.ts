// The receiving side of events.bench.ts, in its own process: many raw WebSocket or SSE clients
// that parse just enough to count events, read the emit time stamped in each, and answer the
// server's pings (so that a run longer than two heartbeats keeps its clients). Both parsers work
// on the bytes as they come and decode an event's text only when its stamp is read, so that the
// receiving work is the same for both transports but for their framing. The process reports its
// CPU time on request.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { now, stampOf } from './stamp.ts';

interface Start {
  readonly port: number;
  readonly path: string;
  readonly mode: 'ws' | 'sse';
  readonly clients: number;
}

/** Clients that read the emit time of each event; the others only count, so that measuring disturbs little. */
const sampled = 10;
let expected = 0;
let received = 0;
/** Connections the server closed: none should be. */
let closed = 0;
let latencies: number[] | undefined;

function onEvent(text: string): void {
  received++;
  if (latencies && text) {
    const stamp = stampOf(text);
    if (stamp !== undefined) latencies.push((now() - stamp) / 1000);
  }
  if (received === expected) process.send?.({ type: 'done', latencies });
}

/** A client's pong: masked, as every client frame must be (RFC 6455, 5.3), echoing the ping's payload. */
function pong(payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x8a;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return frame;
}

/** Unmasked server frames: header, optional extended length, payload. */
function wsParser(socket: net.Socket, measured: boolean): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      let length = (buffer[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const opcode = (buffer[0] as number) & 0x0f;
      if (opcode === 1) onEvent(latencies && measured ? buffer.toString('utf8', offset, offset + length) : '');
      else if (opcode === 9) socket.write(pong(buffer.subarray(offset, offset + length)));
      buffer = buffer.subarray(offset + length);
    }
  };
}

const blankLine = Buffer.from('\n\n');
const eventLine = Buffer.from('event: milky_event');

/** SSE messages end with a blank line; an event's carries `event: milky_event` (comments do not). */
function sseParser(measured: boolean): (chunk: Buffer) => void {
  let rest: Buffer = Buffer.alloc(0);
  return (chunk) => {
    const data = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    let end = data.indexOf(blankLine, start);
    while (end >= 0) {
      const events = data.indexOf(eventLine, start);
      if (events >= 0 && events < end) onEvent(latencies && measured ? data.toString('utf8', start, end) : '');
      start = end + 2;
      end = data.indexOf(blankLine, start);
    }
    rest = data.subarray(start);
  };
}

async function connect({ port, path, mode }: Start, measured: boolean): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await once(socket, 'connect');
  socket.write(
    mode === 'ws'
      ? `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`
      : `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
  );
  // A server that refuses the connection closes it before answering: fail the run rather than wait.
  const refused = new Promise<never>((_, reject) =>
    socket.once('close', () =>
      reject(new Error(`the server closed a connection before answering its ${mode} request (refused at a connection limit?)`)),
    ),
  );
  refused.catch(() => {});
  let head: Buffer = Buffer.alloc(0);
  while (!head.includes('\r\n\r\n')) head = Buffer.concat([head, (await Promise.race([once(socket, 'data'), refused]))[0] as Buffer]);
  socket.removeAllListeners('close');
  const split = head.indexOf('\r\n\r\n') + 4;
  const parse = mode === 'ws' ? wsParser(socket, measured) : sseParser(measured);
  socket.on('data', parse);
  socket.on('close', () => closed++);
  if (split < head.length) parse(head.subarray(split));
}

process.on('message', async (message: { type: string } & Partial<Start> & { events?: number; latency?: boolean }) => {
  if (message.type === 'connect') {
    const start = message as Start;
    // In steps of 100, within the listen backlog of any server.
    for (let from = 0; from < start.clients; from += 100) {
      const step = Math.min(100, start.clients - from);
      await Promise.all(Array.from({ length: step }, (_, index) => connect(start, from + index < sampled)));
    }
    process.send?.({ type: 'ready' });
  } else if (message.type === 'expect') {
    expected = (message.events ?? 0) * (message.clients ?? 0);
    received = 0;
    latencies = message.latency ? [] : undefined;
    process.send?.({ type: 'armed' });
  } else if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'cpu', microseconds: user + system });
  } else if (message.type === 'status') {
    process.send?.({ type: 'status', received, expected, closed });
  }
});
process.on('disconnect', () => process.exit(0));
