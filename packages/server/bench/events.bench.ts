// pnpm bench: event fan-out through @milky/server (WebSocket and SSE) against a `ws` server corked
// per turn of the event loop (the strongest plain baseline) and against one socket write per
// message per client (the floor), at 10, 100 and 1,000 clients, with one event per turn and in
// bursts; then emit-to-receive latency at 500 events/s to 100 clients. Every server runs in a
// process of its own on one core and emits on command; the clients of each run in another
// process on the other core, answering pings; kinds take turns round by round. Each row also
// prints what an event costs: CPU of the server and of the clients, and the bytes, writes and
// reads per event and client. Where the clients used more than 90% of their core the rate is
// theirs: the verdict says so, and judges the server by its events per CPU-second instead.

import type { ChildProcess } from 'node:child_process';
import {
  generatorBound,
  interleave,
  median,
  perCpu,
  quick,
  type Ratio,
  ratioOf,
  ratioVerdict,
  reportSamples,
  type Sample,
  setting,
  verdict,
} from '../../../bench/harness.ts';
import { ask, askCpu, cpuMeter, first, type IoCounters, ioMeter, pinSelf, placement, startScript } from '../../../bench/processes.ts';
import type { GcPauses } from '../../../bench/target.ts';
import { event } from './stamp.ts';

/** Deliveries (events × clients) per measurement, and at most this many events with one per turn, which is slow. */
const deliveries = setting('DELIVERIES', 300_000, 60_000);
const turnEvents = setting('TURN_EVENTS', 5000, 1500);
const rounds = setting('ROUNDS', 5, 2);
const latencyEvents = setting('LATENCY_EVENTS', 5000, 1000);
const latencyRounds = setting('LATENCY_ROUNDS', 3, 1);
const burst = 50;
const latencyRate = 500;
const latencyClients = 100;
/** How long one measurement may take before the benchmark gives up on it. */
const patience = 120_000;

interface Kind {
  readonly name: string;
  readonly server: 'corked' | 'milky' | 'floor';
  readonly mode: 'ws' | 'sse';
}
const kinds: Kind[] = [
  { name: '`ws` corked per turn (baseline)', server: 'corked', mode: 'ws' },
  { name: '@milky/server, WebSocket', server: 'milky', mode: 'ws' },
  { name: '@milky/server, SSE', server: 'milky', mode: 'sse' },
  { name: 'one write per message (floor)', server: 'floor', mode: 'ws' },
];

interface Running {
  readonly server: ChildProcess;
  readonly clients: ChildProcess;
  readonly count: number;
}

async function start(kind: Kind, count: number): Promise<Running> {
  const server = startScript('server', new URL('./event-server.ts', import.meta.url), [kind.server]);
  const { port } = await first<{ port: number }>(server, 'listening');
  const clients = startScript('generator', new URL('./event-clients.ts', import.meta.url));
  const path = kind.server === 'milky' ? '/event' : '/';
  await ask(clients, { type: 'connect', port, path, mode: kind.mode, clients: count }, 'ready');
  return { server, clients, count };
}

function stop(running: Running): void {
  running.clients.disconnect();
  running.server.disconnect();
}

/** Waits for the clients' `done`, or fails with how far they got. */
async function delivered(clients: ChildProcess): Promise<{ latencies?: number[] }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      const status = await ask<{ received: number; expected: number; closed: number }>(clients, { type: 'status' }, 'status');
      reject(new Error(`events not all delivered after ${patience / 1000} s: ${JSON.stringify(status)}`));
    }, patience);
  });
  try {
    return await Promise.race([first<{ latencies?: number[] }>(clients, 'done'), late]);
  } finally {
    clearTimeout(timer);
  }
}

function eventsPerRun(clients: number, perTick: number): number {
  const events = Math.round(deliveries / clients);
  return Math.max(perTick, perTick === 1 ? Math.min(turnEvents, events) : events);
}

/** What one measurement cost: CPU (µs) of server and clients, and their system calls, per event. */
interface FanOutSample extends Sample {
  readonly events: number;
  readonly clients: number;
  readonly serverMicroseconds: number;
  readonly clientsMicroseconds: number;
  readonly server: IoCounters | undefined;
  readonly received: IoCounters | undefined;
}

/** Events per second delivered to every client, emitted `perTick` per turn of the server's event loop. */
async function fanOut(running: Running, perTick: number): Promise<FanOutSample> {
  const events = eventsPerRun(running.count, perTick);
  await ask(running.clients, { type: 'expect', events, clients: running.count }, 'armed');
  await ask(running.server, { type: 'gc' }, 'gc');
  const [serverBefore, clientsBefore] = await Promise.all([askCpu(running.server), askCpu(running.clients)]);
  const serverIo = ioMeter(running.server.pid);
  const clientsIo = ioMeter(running.clients.pid);
  const started = performance.now();
  const done = delivered(running.clients);
  running.server.send({ type: 'emit', count: events, perTick });
  await done;
  const elapsed = performance.now() - started;
  const server = serverIo.stop();
  const received = clientsIo.stop();
  const [serverAfter, clientsAfter] = await Promise.all([askCpu(running.server), askCpu(running.clients)]);
  const serverMicroseconds = serverAfter - serverBefore;
  const clientsMicroseconds = clientsAfter - clientsBefore;
  return {
    rate: (events / elapsed) * 1000,
    serverCpu: serverMicroseconds / 1000 / elapsed,
    generatorCpu: clientsMicroseconds / 1000 / elapsed,
    gc: await ask<GcPauses>(running.server, { type: 'gc' }, 'gc'),
    events,
    clients: running.count,
    serverMicroseconds,
    clientsMicroseconds,
    server,
    received,
  };
}

/** The median of `value` over the samples whose counters were read. */
function perDelivery(samples: readonly FanOutSample[], value: (sample: FanOutSample) => number | undefined): string {
  const values = samples.flatMap((sample) => {
    const v = value(sample);
    return v === undefined ? [] : [v / (sample.events * sample.clients)];
  });
  return values.length === 0 ? '?' : median(values).toFixed(2);
}

/** Prints what an event cost each kind: CPU of server and clients, and per event and client, bytes, writes and reads. */
function reportCosts(names: readonly string[], samples: readonly (readonly FanOutSample[])[]): void {
  console.log(
    '  cost per event (medians): CPU of the server and of the clients; per event and client, bytes and write calls of the server, read calls of the clients',
  );
  const width = Math.max(...names.map((name) => name.length));
  for (const [index, name] of names.entries()) {
    const own = samples[index] ?? [];
    const cpu = (value: (sample: FanOutSample) => number) => median(own.map((sample) => value(sample) / sample.events)).toFixed(1);
    const bytes = perDelivery(own, (sample) => sample.server?.writtenBytes);
    console.log(
      `    ${name.padEnd(width)}  server ${cpu((sample) => sample.serverMicroseconds).padStart(7)} µs, clients ${cpu((sample) => sample.clientsMicroseconds).padStart(7)} µs;` +
        `  ${bytes === '?' ? '?' : Math.round(Number(bytes))} bytes in ${perDelivery(own, (sample) => sample.server?.writes)} writes, read in ${perDelivery(own, (sample) => sample.received?.reads)} reads`,
    );
  }
}

/**
 * The ratio's verdict against `minimum`; when the clients of the baseline or of the kind used more
 * than `generatorBound` of their core, the rate is the clients', and the verdict says so and judges
 * the server's events per CPU-second instead (measured to the microsecond in the server).
 */
function fanOutVerdict(description: string, ratio: Ratio, own: readonly Sample[], base: readonly Sample[], minimum: number): void {
  const busiest = Math.max(median(own.map((sample) => sample.generatorCpu)), median(base.map((sample) => sample.generatorCpu)));
  if (busiest <= generatorBound) ratioVerdict(description, ratio, minimum);
  else
    ratioVerdict(
      `${description} (generator-bound: the clients used ${Math.round(busiest * 100)}% of their core, so the rates are theirs; judged per server CPU-second; rate ${ratio.median.toFixed(2)})`,
      ratioOf(perCpu(own), perCpu(base)),
      minimum,
    );
}

pinSelf();
console.log(`Event fan-out (${placement.note})`);
const size = Buffer.byteLength(JSON.stringify(event(0, 1)));
const sustainable = new Map<number, number[]>();
for (const count of [10, 100, 1000]) {
  const running: Running[] = [];
  for (const kind of kinds) running.push(await start(kind, count));
  for (const [pattern, perTick] of [
    ['one event per turn', 1],
    [`bursts of ${burst} per turn`, burst],
  ] as const) {
    const samples = await interleave(running, rounds, (one) => fanOut(one, perTick));
    const ratios = reportSamples(
      `${count} clients, ${pattern}: events/s, each to every client (${size}-byte events, ${rounds} rounds of ${eventsPerRun(count, perTick)} events)`,
      kinds.map(({ name }) => name),
      samples,
      { generator: 'clients' },
    );
    reportCosts(
      kinds.map(({ name }) => name),
      samples,
    );
    const [base = [], ws = [], sse = []] = samples;
    fanOutVerdict('@milky/server WebSocket / corked `ws`', ratios[1] as Ratio, ws, base, 0.9);
    fanOutVerdict('@milky/server SSE / corked `ws`', ratios[2] as Ratio, sse, base, 0.9);
    if (perTick === burst)
      sustainable.set(
        count,
        samples.map((own) => median(own.map((sample) => sample.rate))),
      );
  }
  for (const one of running) stop(one);
}

console.log('\nsustainable event rate (bursts; each event delivered to every client), beside one write per message per client:');
for (const count of [100, 1000]) {
  const [corked, ws, sse, floor] = (sustainable.get(count) ?? []).map((rate) => Math.round(rate));
  console.log(`  ${count} clients: WebSocket ${ws}/s, SSE ${sse}/s, corked \`ws\` ${corked}/s, one-write-per-message floor ${floor}/s`);
  verdict(`${count} clients, WebSocket at or above the floor`, `${ws}/s vs ${floor}/s`, (ws ?? 0) >= (floor ?? 0), '≥ floor');
  verdict(`${count} clients, SSE at or above the floor`, `${sse}/s vs ${floor}/s`, (sse ?? 0) >= (floor ?? 0), '≥ floor');
}

/** Emit-to-receive latency (ms) of every event read by the sampled clients, at `latencyRate` events/s. */
async function latency(running: Running): Promise<{ latencies: number[]; sample: Sample }> {
  await ask(running.clients, { type: 'expect', events: latencyEvents, clients: running.count, latency: true }, 'armed');
  const serverCpu = cpuMeter(running.server.pid);
  const clientsCpu = cpuMeter(running.clients.pid);
  const done = delivered(running.clients);
  running.server.send({ type: 'paced', count: latencyEvents, rate: latencyRate });
  const { latencies = [] } = await done;
  return { latencies, sample: { rate: latencyRate, serverCpu: serverCpu.stop(), generatorCpu: clientsCpu.stop() } };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const measured = kinds.slice(0, 3);
const running: Running[] = [];
for (const kind of measured) running.push(await start(kind, latencyClients));
const pooled = measured.map(() => [] as number[]);
const cpu = measured.map(() => [] as Sample[]);
for (let round = 0; round < latencyRounds; round++) {
  for (const [index, one] of running.entries()) {
    const { latencies, sample } = await latency(one);
    pooled[index]?.push(...latencies);
    cpu[index]?.push(sample);
  }
}
for (const one of running) stop(one);
console.log(
  `\nemit → receive latency at ${latencyRate} events/s to ${latencyClients} clients, ${latencyRounds} rounds of ${latencyEvents} events (10 clients read the stamp of each event):`,
);
const width = Math.max(...measured.map(({ name }) => name.length));
for (const [index, { name }] of measured.entries()) {
  const sorted = [...(pooled[index] ?? [])].sort((a, b) => a - b);
  const own = cpu[index] ?? [];
  console.log(
    `  ${name.padEnd(width)}  p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(2)} ms` +
      `  server CPU ${Math.round(median(own.map((s) => s.serverCpu)) * 100)}%, clients CPU ${Math.round(median(own.map((s) => s.generatorCpu)) * 100)}%`,
  );
  if (index > 0) {
    const p99 = percentile(sorted, 0.99);
    verdict(`${name} p99`, `${p99.toFixed(2)} ms`, p99 < 5, '< 5 ms');
  }
}
console.log(`\n(node ${process.version}${quick ? '; quick run: too short to quote' : ''})`);
