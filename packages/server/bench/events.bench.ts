// pnpm bench: events per second delivered to 100 WebSocket and 100 SSE clients through
// @milky/server, against a bare `ws` broadcast loop (each event sent to each socket as it comes),
// in the same run; and emit-to-receive latency at 1,000 events per second.

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises';
import type { Event } from '@milky/types';
import { WebSocketServer } from 'ws';
import { groupMessageEvent } from '../../../bench/fixtures.ts';
import { formatRate, report, target } from '../../../bench/harness.ts';
import { MilkyServer } from '../src/index.ts';

const clients = 100;
const events = Number(process.env.BENCH_EVENTS ?? 2000);
const burst = 50;
const silent = { info() {}, warn() {}, error() {} };

function event(n: number, stamp = 0): Event {
  return groupMessageEvent(n, `stamp=${stamp} a message of ordinary length, sent to every client of the bot`);
}

interface Sender {
  readonly port: number;
  readonly path: string;
  send(event: Event): void;
  close(): Promise<void>;
}

async function milky(): Promise<Sender> {
  const server = new MilkyServer({ port: 0, logger: silent, clientBufferLimit: 64 * 1024 * 1024 });
  const { port } = await server.listen();
  return { port, path: '/event', send: (e) => server.emit(e), close: async () => void (await server.close({ deadline: 0 })) };
}

async function bareWs(): Promise<Sender> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    path: '/',
    send(e) {
      const json = JSON.stringify(e);
      for (const client of wss.clients) client.send(json);
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close();
    },
  };
}

function child(): ChildProcess {
  return fork(new URL('./event-clients.ts', import.meta.url), { stdio: 'inherit' });
}

async function request(process: ChildProcess, message: object, reply: string): Promise<Record<string, unknown>> {
  const answer = new Promise<Record<string, unknown>>((resolve) => {
    const listener = (m: Record<string, unknown>) => {
      if (m.type !== reply) return;
      process.off('message', listener);
      resolve(m);
    };
    process.on('message', listener);
  });
  process.send(message);
  return answer;
}

/** Events per second delivered to all clients: emits in bursts, as events would arrive. */
async function throughput(sender: Sender, receiver: ChildProcess): Promise<number> {
  await request(receiver, { type: 'expect', events, clients }, 'armed');
  const done = request(receiver, { type: 'noop' }, 'done');
  const started = performance.now();
  for (let n = 0; n < events; n += burst) {
    for (let i = n; i < Math.min(events, n + burst); i++) sender.send(event(i));
    await turn();
  }
  await done;
  return ((events * clients) / (performance.now() - started)) * 1000;
}

/** Emit-to-receive latency at about 1,000 events per second, over two seconds. */
async function latency(sender: Sender, receiver: ChildProcess): Promise<{ p50: number; p99: number }> {
  const count = 2000;
  await request(receiver, { type: 'expect', events: count, clients, latency: true }, 'armed');
  const done = request(receiver, { type: 'noop' }, 'done');
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    sender.send(event(n, performance.timeOrigin + performance.now()));
    const due = started + n + 1;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const { latencies } = (await done) as { latencies: number[] };
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)] ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0 };
}

async function run(name: string, make: () => Promise<Sender>, mode: 'ws' | 'sse') {
  const sender = await make();
  const receiver = child();
  await request(receiver, { type: 'connect', port: sender.port, path: sender.path, mode, clients }, 'ready');
  await throughput(sender, receiver);
  const rates = [await throughput(sender, receiver), await throughput(sender, receiver), await throughput(sender, receiver)].sort(
    (a, b) => a - b,
  );
  const delay = await latency(sender, receiver);
  receiver.disconnect();
  await sender.close();
  return { name, rate: rates[1] ?? 0, delay };
}

const results = [
  await run('bare ws loop (baseline)', bareWs, 'ws'),
  await run('@milky/server, WebSocket', milky, 'ws'),
  await run('@milky/server, SSE', milky, 'sse'),
];
report(
  `events delivered per second to ${clients} clients (${JSON.stringify(event(0)).length}-byte events, bursts of ${burst})`,
  results,
  'bare ws loop (baseline)',
);
const base = results[0]?.rate ?? 1;
target('WebSocket vs the bare ws loop', (results[1]?.rate ?? 0) / base, 0.9);
target('SSE vs the bare ws loop', (results[2]?.rate ?? 0) / base, 0.9);
console.log('\nemit-to-receive latency at 1,000 events/s (10 of the clients read the time stamped in each event):');
for (const result of results)
  console.log(`  ${result.name.padEnd(28)} p50 ${result.delay.p50.toFixed(2)} ms, p99 ${result.delay.p99.toFixed(2)} ms`);
console.log(
  `  target: p99 under 5 ms — @milky/server WebSocket ${(results[1]?.delay.p99 ?? 99).toFixed(2)} ms, SSE ${(results[2]?.delay.p99 ?? 99).toFixed(2)} ms`,
);
console.log(`\n(node ${process.version}; rates are medians of 3 runs of ${events} events; ${formatRate(1)} = one per second)`);
