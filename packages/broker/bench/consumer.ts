// A consumer for throughput.bench.ts, in its own process: `client <url> <token>` (a plain
// @milky/client event loop over SSE) or `worker <redis> <prefix>` (a broker worker). It prints
// `ready` once listening, then a `.` per event handled.

import { MilkyClient } from '@milky/client';
import { Worker } from '../src/index.ts';

const [kind, a, b] = process.argv.slice(2) as [string, string, string];
const silent = { info() {}, warn() {}, error: (message: string) => process.stderr.write(`${message}\n`) };
let pending = '';
const flush = () => {
  if (pending) process.stdout.write(pending);
  pending = '';
};
const handled = () => {
  if (pending.length === 0) setImmediate(flush);
  pending += '.';
};

if (kind === 'client') {
  const client = new MilkyClient({ baseUrl: a, accessToken: b, logger: silent });
  client.on('event', handled);
  await client.connect({ transport: 'sse' });
} else {
  const worker = new Worker({ redis: a, prefix: b, group: 'bench', concurrency: 64, logger: silent, handler: handled });
  await worker.start();
}
process.stdout.write('ready\n');
