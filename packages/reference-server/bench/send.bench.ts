// pnpm bench: `send_group_message` through the reference server, end to end, against a
// @milky/server whose handler does nothing, in the same run (each server in a process of its own,
// pinned to one core, loaded by wrk from another, taking turns round by round); then again once
// the worlds hold many stored messages, and the resident memory each stored message costs.

import type { ChildProcess } from 'node:child_process';
import type { SendGroupMessageInput } from '@milky/types';
import {
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
import { ask, cpuMeter, first, pinSelf, placement, startScript } from '../../../bench/processes.ts';
import type { GcPauses } from '../../../bench/target.ts';
import { wrk } from '../../../bench/wrk.ts';
import { text, withImage } from './samples.ts';

const seconds = setting('SECONDS', 5, 2);
const rounds = setting('ROUNDS', 5, 2);
/** Messages stored before the second measurement. */
const fill = setting('STORED', 1_000_000, 50_000);
const connections = 32;

const kinds = [
  { kind: 'noop', name: '@milky/server, handler does nothing' },
  { kind: 'memory', name: 'reference server, world in memory' },
  { kind: 'file', name: 'reference server, world in a SQLite file' },
];

pinSelf();
const servers = new Map<string, ChildProcess>();
const ports = new Map<string, number>();
for (const { kind } of kinds) {
  const child = startScript('server', new URL('./send-target.ts', import.meta.url), [kind], ['--expose-gc']);
  ports.set(kind, (await first<{ port: number }>(child, 'listening')).port);
  servers.set(kind, child);
}
const server = (kind: string) => servers.get(kind) as ChildProcess;

async function once(kind: string, input: SendGroupMessageInput): Promise<Sample> {
  await ask(server(kind), { type: 'gc' }, 'gc');
  const meter = cpuMeter(server(kind).pid);
  const body = JSON.stringify(input);
  const load = await wrk({
    url: `http://127.0.0.1:${ports.get(kind)}/api/send_group_message`,
    body,
    token: 'bench-token',
    connections,
    seconds,
  });
  const serverCpu = meter.stop();
  return { rate: load.rate, serverCpu, generatorCpu: load.cpu, gc: await ask<GcPauses>(server(kind), { type: 'gc' }, 'gc') };
}

async function stored(kind: string): Promise<number> {
  return (await ask<{ stored: number }>(server(kind), { type: 'stored' }, 'stored')).stored;
}

/** CPU per call of the no-op handler's server, in µs, by message: from its rate per server CPU-second. */
const noopCpu = new Map<string, number>();

/**
 * Measures both messages; returns, per message, the ratios of the two reference servers to the
 * no-op handler: of their rates, and of their rates per server CPU-second.
 */
async function measureAll(when: string): Promise<Map<string, { rates: Ratio[]; perCpu: Ratio[] }>> {
  const ratios = new Map<string, { rates: Ratio[]; perCpu: Ratio[] }>();
  for (const [label, input] of [
    ['text message', text],
    ['with a 1 KB image', withImage],
  ] as const) {
    const before = `${await stored('memory')} / ${await stored('file')}`;
    const samples = await interleave(
      kinds.map(({ kind }) => kind),
      rounds,
      (kind) => once(kind, input),
    );
    const found = reportSamples(
      `send_group_message, ${label} (${Buffer.byteLength(JSON.stringify(input))} bytes), ${when} (${before} messages stored), ${connections} connections, wrk, ${rounds} rounds of ${seconds} s`,
      kinds.map(({ name }) => name),
      samples,
    );
    ratioVerdict('reference server in memory / no-op handler', found[1] as Ratio, 0.5);
    ratioVerdict('reference server in a file / no-op handler', found[2] as Ratio, 0.5);
    const base = perCpu(samples[0] ?? []);
    if (!noopCpu.has(label)) noopCpu.set(label, 1e6 / median(base.map((sample) => sample.rate)));
    ratios.set(label, { rates: found.slice(1), perCpu: samples.slice(1).map((own) => ratioOf(perCpu(own), base)) });
  }
  return ratios;
}

console.log(`Reference server (${placement.note})`);
const empty = await measureAll('a new demo world');

// At 0.5 of the no-op handler per server CPU-second, a whole send costs twice a no-op call: the
// world (and everything else the reference server does beyond a no-op handler) has one no-op call's CPU.
const budget = noopCpu.get('text message') ?? Number.NaN;
console.log(
  `\nCPU per send through the world alone (Messages.post, as the handler calls it; no HTTP), in the server processes, against the budget for 0.5 (a no-op call's server CPU, ${budget.toFixed(1)} µs):`,
);
for (const kind of ['memory', 'file']) {
  const { microseconds } = await ask<{ microseconds: number }>(server(kind), { type: 'cost', count: quick ? 5000 : 20_000 }, 'cost');
  verdict(
    `CPU per send through the world ${kind === 'memory' ? 'in memory' : 'in a SQLite file'}`,
    `${microseconds.toFixed(1)} µs`,
    microseconds <= budget,
    `≤ ${budget.toFixed(1)} µs`,
  );
}

console.log(`\nfilling each world with ${fill} messages through the world's send path…`);
for (const kind of ['memory', 'file']) {
  const before = await ask<{ rss: number }>(server(kind), { type: 'rss' }, 'rss');
  const filled = await ask<{ seconds: number; stored: number }>(server(kind), { type: 'fill', count: fill }, 'filled');
  const after = await ask<{ rss: number }>(server(kind), { type: 'rss' }, 'rss');
  const perMessage = (after.rss - before.rss) / fill;
  console.log(
    `  ${kind}: ${fill} messages in ${filled.seconds.toFixed(1)} s (${Math.round(fill / filled.seconds)}/s); RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MB`,
  );
  if (kind === 'memory')
    verdict('RSS per stored message, world in memory', `${(perMessage / 1024).toFixed(2)} KB`, perMessage < 2048, '< 2 KB');
  else
    console.log(
      `  RSS per stored message, world in a file: ${(perMessage / 1024).toFixed(2)} KB (the file holds them; SQLite caches a bounded share)`,
    );
}

const full = await measureAll(`after the fill`);
console.log(
  '\nflat as the world grows: (reference / no-op when full) ÷ (reference / no-op when new), of rates and (in brackets) of rates per server CPU-second:',
);
for (const [label, ratios] of full) {
  for (const [index, name] of ['world in memory', 'world in a SQLite file'].entries()) {
    const before = empty.get(label);
    const flat = (ratios.rates[index]?.median ?? 0) / (before?.rates[index]?.median ?? 1);
    const flatPerCpu = (ratios.perCpu[index]?.median ?? 0) / (before?.perCpu[index]?.median ?? 1);
    verdict(`${label}, ${name}, with ${fill} more messages`, `${flat.toFixed(2)} (${flatPerCpu.toFixed(2)})`, flat >= 0.9, '≥ 0.9');
  }
}
for (const child of servers.values()) child.disconnect();
console.log(`\n(node ${process.version}${quick ? '; quick run: too short to quote' : ''})`);
