// pnpm bench: API calls per second through @milky/server, alone and as an express router, against
// a bare node:http server doing the same body read, token check, parse and stringify. Each server
// runs in a process of its own, pinned to one core; wrk loads it from another; the kinds take
// turns round by round; each figure comes with the CPU of the server and of wrk, and the longest
// garbage collection pause of the server during the round.

import type { ChildProcess } from 'node:child_process';
import { sendGroupMessageInput } from '../../../bench/fixtures.ts';
import {
  describePauses,
  interleave,
  median,
  quick,
  ratioVerdict,
  reportSamples,
  type Sample,
  setting,
  verdict,
} from '../../../bench/harness.ts';
import { ask, cpuMeter, first, pinSelf, placement, startScript } from '../../../bench/processes.ts';
import type { GcPauses } from '../../../bench/target.ts';
import { wrk } from '../../../bench/wrk.ts';

const seconds = setting('SECONDS', 5, 2);
const rounds = setting('ROUNDS', 5, 2);
const connections = 32;
const sendBody = JSON.stringify(sendGroupMessageInput);

pinSelf();
const kinds = [
  { kind: 'bare', name: 'bare node:http (read, token, parse, stringify)' },
  { kind: 'milky', name: '@milky/server' },
  { kind: 'express', name: '@milky/server as an express router' },
];
/** Each server runs with the runtime's GC trace, read for the bytes each scavenge promoted to the old generation. */
const servers = new Map<string, { child: ChildProcess; port: number; promoted: number }>();
for (const { kind } of kinds) {
  const child = startScript('server', new URL('./api-target.ts', import.meta.url), [kind], ['--trace-gc-nvp'], true);
  const server = { child, port: 0, promoted: 0 };
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) server.promoted += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0);
  });
  server.port = (await first<{ port: number }>(child, 'listening')).port;
  servers.set(kind, server);
}

async function once(kind: string, api: string, body: string): Promise<Sample> {
  const server = servers.get(kind);
  if (!server) throw new Error(`no server ${kind}`);
  await ask(server.child, { type: 'gc' }, 'gc');
  const promoted = server.promoted;
  const meter = cpuMeter(server.child.pid);
  const load = await wrk({ url: `http://127.0.0.1:${server.port}/api/${api}`, body, token: 'bench-token', connections, seconds });
  const serverCpu = meter.stop();
  const gc = await ask<GcPauses>(server.child, { type: 'gc' }, 'gc');
  promotedPerCall.get(`${kind} ${api}`)?.push((server.promoted - promoted) / (load.rate * seconds));
  return { rate: load.rate, serverCpu, generatorCpu: load.cpu, gc };
}

const promotedPerCall = new Map<string, number[]>();
console.log(`API calls (${placement.note})`);
const ourPauses: GcPauses[] = [];
const barePauses: GcPauses[] = [];
for (const [api, body] of [
  ['get_login_info', '{}'],
  ['send_group_message', sendBody],
] as const) {
  for (const { kind } of kinds) promotedPerCall.set(`${kind} ${api}`, []);
  const samples = await interleave(
    kinds.map(({ kind }) => kind),
    rounds,
    (kind) => once(kind, api, body),
  );
  const ratios = reportSamples(
    `${api} (${Buffer.byteLength(body)}-byte body), ${connections} connections, wrk, ${rounds} rounds of ${seconds} s`,
    kinds.map(({ name }) => name),
    samples,
  );
  console.log(
    `  promoted to the old generation per call (--trace-gc-nvp): ${kinds
      .map(({ kind }) => `${kind} ${median(promotedPerCall.get(`${kind} ${api}`) ?? []).toFixed(0)} bytes`)
      .join(', ')}`,
  );
  ratioVerdict('@milky/server / bare node:http', ratios[1] as (typeof ratios)[number], 0.8);
  ratioVerdict('as an express router / bare node:http', ratios[2] as (typeof ratios)[number], 0.65);
  for (const sample of samples.slice(1).flat()) if (sample.gc) ourPauses.push(sample.gc);
  for (const sample of samples[0] ?? []) if (sample.gc) barePauses.push(sample.gc);
}
console.log('\ngarbage collection under sustained load (PerformanceObserver gc entries in the @milky/server processes):');
const longestPause = Math.max(0, ...ourPauses.map((report) => report.longest));
verdict('longest GC pause', `${describePauses(ourPauses)}`, longestPause <= 10, '≤ 10 ms');
console.log(
  `  (pauses are wall time: a server descheduled mid-pause shows it; bare node:http, the runtime's own floor: ${describePauses(barePauses)})`,
);
for (const { child } of servers.values()) child.disconnect();
console.log(`\n(node ${process.version}${quick ? '; quick run: too short to quote' : ''})`);
