// Events per second from a protocol side to a handler: a plain @milky/client event loop (the
// baseline), and through the broker (gateway → Redis Streams → worker) with one and with two
// workers. The protocol side and the gateway run here; each consumer in a process of its own; a
// real redis-server on a free loopback port. Handlers do nothing: this measures the plumbing.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MilkyServer } from '@milky/server';
import { report } from '../../../bench/harness.ts';
import { startRedis } from '../../../scripts/redis-server.ts';
import { Gateway } from '../src/index.ts';

const events = Number(process.env.BENCH_EVENTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const token = 'bench-token';
const silent = { info() {}, warn() {}, error: (message: string) => console.error(message) };
const consumerScript = fileURLToPath(new URL('./consumer.ts', import.meta.url));

interface Consumer {
  readonly child: ChildProcess;
  /** Resolves once the consumers together have handled `count` events. */
  handled: number;
}

async function consumers(args: string[][]): Promise<{ all: Consumer[]; until(count: number): Promise<void>; stop(): void }> {
  const all: Consumer[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const total = () => all.reduce((sum, consumer) => sum + consumer.handled, 0);
  await Promise.all(
    args.map(
      (argv) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [consumerScript, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
          const consumer: Consumer = { child, handled: 0 };
          all.push(consumer);
          let ready = false;
          child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
            if (!ready && chunk.includes('ready\n')) {
              ready = true;
              chunk = chunk.slice(chunk.indexOf('ready\n') + 6);
              resolve();
            }
            consumer.handled += chunk.length;
            if (waiter && total() >= waiter.count) waiter.resolve();
          });
          child.once('exit', (code) => (ready ? undefined : reject(new Error(`consumer exited with ${code}`))));
        }),
    ),
  );
  return {
    all,
    until: (count) =>
      new Promise((resolve) => {
        if (total() >= count) resolve();
        else waiter = { count, resolve };
      }),
    stop: () => {
      for (const { child } of all) child.kill('SIGTERM');
    },
  };
}

/** Emits `events` events in slices, letting the sockets drain between them; resolves with the time it took all to be handled. */
async function run(server: MilkyServer, until: (count: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  const done = until(events);
  for (let n = 0; n < events; n++) {
    server.emit({ time: 1763900000 + n, self_id: 50001, event_type: 'bot_offline', data: { reason: `#${n}` } });
    if (n % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
  }
  await done;
  return performance.now() - start;
}

const redis = await startRedis();
const server = new MilkyServer({ accessToken: token, port: 0, logger: silent, clientBufferLimit: 64 * 1024 * 1024 });
server.handle('get_login_info', () => ({ uin: 50001, nickname: 'bench bot' }));
const { port } = await server.listen();
const url = `http://127.0.0.1:${port}`;
const rates = new Map<string, number[]>();
const record = (name: string, ms: number) => rates.set(name, [...(rates.get(name) ?? []), (events / ms) * 1000]);

try {
  for (let round = 0; round < rounds; round++) {
    {
      const plain = await consumers([['client', url, token]]);
      record('@milky/client event loop', await run(server, plain.until));
      plain.stop();
    }
    for (const workers of [1, 2]) {
      const prefix = `bench${randomBytes(3).toString('hex')}`;
      const pool = await consumers(Array.from({ length: workers }, () => ['worker', redis.url, prefix]));
      const gateway = new Gateway({ redis: redis.url, accounts: [{ url, token }], prefix, logger: silent, maxLen: events * 2 });
      await gateway.start();
      record(`broker, ${workers} worker${workers > 1 ? 's' : ''}`, await run(server, pool.until));
      await gateway.stop();
      pool.stop();
    }
  }
} finally {
  await server.close({ deadline: 0 });
  await redis.stop();
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
report(
  `events from the protocol side to a handler (${events} events, median of ${rounds} rounds)`,
  [...rates].map(([name, values]) => ({ name, rate: median(values) })),
  '@milky/client event loop',
);
