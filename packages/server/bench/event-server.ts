// A server under test for events.bench.ts, in its own process: `milky` (@milky/server, WebSocket
// and SSE on /event), `corked` (a `ws` server whose sockets are corked at their first write in a
// turn of the event loop and uncorked when it turns: the strongest plain baseline), or `floor`
// (each event framed once and written to each socket as it comes: one write per message).
// The server emits on the orchestrator's command, so that the app's emitting is the server's work.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises';
import type { Event } from '@milky/types';
import { type WebSocket, WebSocketServer } from 'ws';
import { serveBench } from '../../../bench/target.ts';
import { textFrame } from '../src/events/websocket.ts';
import { MilkyServer } from '../src/index.ts';
import { event, now } from './stamp.ts';

const kind = process.argv[2];
const silent = { info() {}, warn() {}, error() {} };

/** Plain `ws` servers: the upgrade's socket is kept beside each WebSocket. */
async function plain(
  write: (sockets: ReadonlyMap<WebSocket, Duplex>, json: string) => void,
): Promise<{ port: number; send: (e: Event) => void }> {
  const sockets = new Map<WebSocket, Duplex>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer();
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.set(ws, socket);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { port: (server.address() as AddressInfo).port, send: (e) => write(sockets, JSON.stringify(e)) };
}

/** The sockets corked in this turn of the event loop, uncorked when it turns. */
let corked: Duplex[] | undefined;
function corkForTurn(sockets: Iterable<Duplex>): void {
  if (corked) return;
  const these = [...sockets];
  for (const socket of these) socket.cork();
  corked = these;
  setImmediate(() => {
    corked = undefined;
    for (const socket of these) socket.uncork();
  });
}

let target: { port: number; send: (e: Event) => void };
if (kind === 'milky') {
  // Room for the benchmark's largest run (1,000 clients) above the default of 512 connections.
  const server = new MilkyServer({ port: 0, logger: silent, clientBufferLimit: 256 * 1024 * 1024, maxConnections: 2048 });
  const { port } = await server.listen();
  target = { port, send: (e) => server.emit(e) };
} else if (kind === 'corked') {
  target = await plain((sockets, json) => {
    const payload = Buffer.from(json);
    corkForTurn(sockets.values());
    for (const ws of sockets.keys()) ws.send(payload, { binary: false });
  });
} else if (kind === 'floor') {
  target = await plain((sockets, json) => {
    const frame = textFrame(json);
    for (const socket of sockets.values()) socket.write(frame);
  });
} else throw new Error(`unknown kind ${kind}`);

serveBench(target.port, async (message) => {
  if (message.type === 'emit') {
    // `count` events, `perTick` in each turn of the event loop.
    const count = message.count as number;
    const perTick = message.perTick as number;
    for (let n = 0; n < count; n += perTick) {
      for (let i = n; i < Math.min(count, n + perTick); i++) target.send(event(i));
      await turn();
    }
    process.send?.({ type: 'emitted' });
  } else if (message.type === 'paced') {
    // `count` events at `rate` per second, each stamped with its emit time.
    const count = message.count as number;
    const interval = 1e6 / (message.rate as number);
    const started = now();
    for (let n = 0; n < count; n++) {
      target.send(event(n, now()));
      const wait = (started + (n + 1) * interval - now()) / 1000;
      if (wait > 0) await sleep(wait);
    }
    process.send?.({ type: 'emitted' });
  }
});
