// pnpm bench: deliveries per second through the dispatcher against bare request loops, in the
// same run, to a receiver in another process. Also shows what each got setting buys.

import { once } from 'node:events';
import http from 'node:http';
import got from 'got';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { groupMessageEvent } from '../../../bench/fixtures.ts';
import { formatRate, type Result, report, target } from '../../../bench/harness.ts';
import { cpuMeter, pinSelf, placement, startScript } from '../../../bench/processes.ts';
import { silentLogger, WebhookDispatcher } from '../src/index.ts';
import { createTransport } from '../src/transport.ts';

// The receiver on the servers' core; the dispatcher and the loops (this process) on the generators'.
pinSelf();
const child = startScript('server', new URL('./receiver.ts', import.meta.url));
const [port] = (await once(child, 'message')) as [number];
const receiverCpu = cpuMeter(child.pid);
const url = `http://127.0.0.1:${port}/milky`;

const body = Buffer.from(JSON.stringify(groupMessageEvent()));
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-token' };
const batch = Number(process.env.BENCH_BATCH ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/** Runs `workers` loops that share `batch` operations, and returns operations per second. */
async function loop(workers: number, operation: () => Promise<unknown>): Promise<number> {
  let left = batch;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (left-- > 0) await operation();
    }),
  );
  return (batch / (performance.now() - started)) * 1000;
}

/** A dispatcher kept across rounds, as a server keeps one: each round pushes a batch and awaits it. */
function throughDispatcher(concurrency: number): { run: () => Promise<number>; close: () => Promise<unknown> } {
  const webhooks = new WebhookDispatcher({ targets: [url], token: 'bench-token', concurrency, logger: silentLogger });
  let delivered = 0;
  let waiting: { count: number; resolve: () => void } | undefined;
  webhooks.on('delivered', () => {
    delivered++;
    if (waiting && delivered >= waiting.count) waiting.resolve();
  });
  return {
    async run() {
      const done = new Promise<void>((resolve) => {
        waiting = { count: delivered + batch, resolve };
      });
      const started = performance.now();
      for (let i = 0; i < batch; i++) webhooks.push(body);
      await done;
      return (batch / (performance.now() - started)) * 1000;
    },
    close: () => webhooks.close(),
  };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

async function measureAll(cases: Array<{ name: string; run: () => Promise<number> }>): Promise<Result[]> {
  for (const c of cases) await c.run();
  const rates = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [index, c] of cases.entries()) rates[index]?.push(await c.run());
  return cases.map((c, index) => ({ name: c.name, rate: median(rates[index] ?? []) }));
}

for (const concurrency of [1, 8]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const gotKeepAlive = got.extend({ agent: { http: agent }, retry: { limit: 0 } });
  const gotTuned = gotKeepAlive.extend({ decompress: false, followRedirect: false, throwHttpErrors: false, timeout: { request: 10_000 } });
  const transport = createTransport({ sockets: concurrency, timeout: 10_000 });
  const signal = new AbortController().signal;
  const undici = new UndiciAgent({ connections: concurrency });
  const nodeAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const dispatcher = throughDispatcher(concurrency);
  const results = await measureAll([
    { name: 'got.post, default options', run: () => loop(concurrency, () => got.post(url, { body, headers, retry: { limit: 0 } })) },
    { name: 'got.post + keep-alive agent (baseline)', run: () => loop(concurrency, () => gotKeepAlive.post(url, { body, headers })) },
    { name: '  + no decompress, redirects, HTTP errors', run: () => loop(concurrency, () => gotTuned.post(url, { body, headers })) },
    { name: '  + stream, body discarded (our request)', run: () => loop(concurrency, () => transport.post(url, body, headers, signal)) },
    { name: 'WebhookDispatcher', run: dispatcher.run },
    {
      name: 'node:http + keep-alive (scale)',
      run: () =>
        loop(
          concurrency,
          () =>
            new Promise((resolve, reject) => {
              const request = http.request(
                url,
                { method: 'POST', agent: nodeAgent, headers: { ...headers, 'content-length': body.length } },
                (response) => {
                  response.resume();
                  response.on('end', resolve);
                },
              );
              request.on('error', reject);
              request.end(body);
            }),
        ),
    },
    {
      name: 'undici request (scale)',
      run: () =>
        loop(concurrency, async () => {
          const response = await undiciRequest(url, { method: 'POST', body, headers, dispatcher: undici });
          await response.body.dump();
        }),
    },
  ]);
  report(
    `deliveries per second, ${concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`} (${body.length}-byte events)`,
    results,
    'got.post + keep-alive agent (baseline)',
  );
  const rate = (name: string) => results.find((result) => result.name === name)?.rate ?? 0;
  target('dispatcher vs bare got.post loop, same agent', rate('WebhookDispatcher') / rate('got.post + keep-alive agent (baseline)'), 0.8);
  console.log(
    `  machinery alone: dispatcher vs a bare loop of the same tuned request: ${((rate('WebhookDispatcher') / rate('  + stream, body discarded (our request)')) * 100).toFixed(0)}%`,
  );
  await dispatcher.close();
  transport.close();
  agent.destroy();
  nodeAgent.destroy();
  await undici.close();
}
console.log(
  `\n(node ${process.version}; median of ${rounds} rounds of ${batch} deliveries; ${formatRate(1)} = one per second; ${placement.note}; the receiver used ${Math.round(receiverCpu.stop() * 100)}% of a core over the run)`,
);
child.disconnect();
