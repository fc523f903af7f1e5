// pnpm bench: `send_group_message` through the reference server, end to end, against a
// @milky/server whose handler does nothing, in the same run: round trips one at a time through
// @milky/client, and throughput at 32 connections. The difference is what the world costs a call.

import { fork } from 'node:child_process';
import { once } from 'node:events';
import { MilkyClient } from '@milky/client';
import type { SendGroupMessageInput } from '@milky/types';
import autocannon from 'autocannon';
import { formatRate, type Result, report } from '../../../bench/harness.ts';
import { drawPng } from '../src/world/media.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 32;

/** A group message of the demo world: a reply, a mention, about 1 KB of text, a face. */
const text: SendGroupMessageInput = {
  group_id: 20001,
  message: [
    { type: 'reply', data: { message_seq: 3 } },
    { type: 'mention', data: { user_id: 10002 } },
    {
      type: 'text',
      data: { text: ` thanks for the report, I will look at it tonight. ${'The stack trace points at the parser. '.repeat(24)}` },
    },
    { type: 'face', data: { face_id: '178' } },
  ],
};
/** The same with a 64×64 PNG (about 1 KB) as base64. */
const withImage: SendGroupMessageInput = {
  ...text,
  message: [...text.message, { type: 'image', data: { uri: `base64://${drawPng(64, 0x336699, 0x99ccff).toString('base64')}` } }],
};

const kinds = [
  { kind: 'noop', name: '@milky/server, handler does nothing' },
  { kind: 'memory', name: 'reference server, world in memory' },
  { kind: 'file', name: 'reference server, world in a SQLite file' },
];

async function start(kind: string) {
  const child = fork(new URL('./send-target.ts', import.meta.url), [kind], { stdio: 'inherit' });
  const [port] = (await once(child, 'message')) as [number];
  return { port, stop: () => child.disconnect() };
}

/** Round trips per second, one at a time, through @milky/client. */
async function roundTrips(port: number, input: SendGroupMessageInput): Promise<number> {
  const client = new MilkyClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 'bench-token', validation: 'off' });
  const until = performance.now() + duration * 1000;
  const started = performance.now();
  let calls = 0;
  while (performance.now() < until) {
    await client.api.send_group_message(input);
    calls++;
  }
  return calls / ((performance.now() - started) / 1000);
}

async function throughput(port: number, input: SendGroupMessageInput): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/send_group_message`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body: JSON.stringify(input),
    connections,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const servers = new Map<string, { port: number; stop: () => void }>();
for (const { kind } of kinds) servers.set(kind, await start(kind));

for (const [label, input] of [
  ['text message', text],
  ['with a 1 KB image', withImage],
] as const) {
  for (const [mode, measure] of [
    ['round trips through @milky/client, one at a time', roundTrips],
    [`throughput, ${connections} connections (autocannon)`, throughput],
  ] as const) {
    const rates = kinds.map(() => [] as number[]);
    for (const { kind } of kinds) await measure(servers.get(kind)?.port as number, input);
    for (let round = 0; round < rounds; round++) {
      for (const [index, { kind }] of kinds.entries()) rates[index]?.push(await measure(servers.get(kind)?.port as number, input));
    }
    const results: Result[] = kinds.map(({ name }, index) => ({ name, rate: median(rates[index] ?? []) }));
    report(`send_group_message, ${label} (${Buffer.byteLength(JSON.stringify(input))} bytes): ${mode}`, results, kinds[0]?.name as string);
    const base = results[0]?.rate ?? 1;
    for (const result of results.slice(1)) {
      const cost = (1 / result.rate - 1 / base) * 1e6;
      console.log(`  cost of the world per call (${result.name}): ${cost.toFixed(0)} µs`);
    }
  }
}
for (const server of servers.values()) server.stop();
console.log(`\n(node ${process.version}; medians of ${rounds} runs of ${duration} s; ${formatRate(1)} = one per second)`);
