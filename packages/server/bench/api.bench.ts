// pnpm bench: API calls per second through @milky/server against a bare node:http server doing
// the same body read, token check, parse and stringify, in the same run. Each server runs in a
// process of its own; autocannon loads it from this one.

import { fork } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { sendGroupMessageInput } from '../../../bench/fixtures.ts';
import { formatRate, type Result, report, target } from '../../../bench/harness.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 32;

const sendBody = JSON.stringify(sendGroupMessageInput);

async function start(kind: string) {
  const child = fork(new URL('./api-target.ts', import.meta.url), [kind], { stdio: 'inherit' });
  const [port] = (await once(child, 'message')) as [number];
  return { port, stop: () => child.disconnect() };
}

async function load(port: number, api: string, body: string): Promise<number> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/${api}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body,
    connections,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${api}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

const kinds = [
  { kind: 'bare', name: 'bare node:http (parse, token, stringify)' },
  { kind: 'milky', name: '@milky/server' },
  { kind: 'express', name: '@milky/server as an express router' },
];
const servers = new Map<string, { port: number; stop: () => void }>();
for (const { kind } of kinds) servers.set(kind, await start(kind));

for (const [api, body] of [
  ['get_login_info', '{}'],
  ['send_group_message', sendBody],
] as const) {
  const rates = kinds.map(() => [] as number[]);
  for (const { kind } of kinds) await load(servers.get(kind)?.port as number, api, body);
  for (let round = 0; round < rounds; round++) {
    for (const [index, { kind }] of kinds.entries()) rates[index]?.push(await load(servers.get(kind)?.port as number, api, body));
  }
  const results: Result[] = kinds.map(({ name }, index) => ({
    name,
    rate: [...(rates[index] ?? [])].sort((a, b) => a - b)[Math.floor(rounds / 2)] ?? 0,
  }));
  report(`${api} (${Buffer.byteLength(body)}-byte body), ${connections} connections`, results, kinds[0]?.name as string);
  target('@milky/server vs bare node:http', (results[1]?.rate ?? 0) / (results[0]?.rate ?? 1), 0.7);
}
for (const server of servers.values()) server.stop();
console.log(`\n(node ${process.version}; medians of ${rounds} runs of ${duration} s; ${formatRate(1)} = one per second)`);
