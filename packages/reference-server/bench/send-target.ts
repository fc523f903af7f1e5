// A server under test for send.bench.ts, in its own process: `noop` (a handler that does nothing),
// `memory` (the reference server on an in-memory world) or `file` (on a world in a SQLite file).
// On request, the reference server fills its world with stored messages through the world's own
// send path, and reports how many it holds and its resident memory.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turn } from 'node:timers/promises';
import { MilkyServer } from '@milky/server';
import { resolveInput } from '@milky/types';
import { serveBench } from '../../../bench/target.ts';
import { ReferenceServer } from '../src/index.ts';
import { text } from './samples.ts';

const token = 'bench-token';
const silent = { info() {}, warn() {}, error() {} };
const kind = process.argv[2];

if (kind === 'noop') {
  const server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
  server.handle('send_group_message', () => ({ message_seq: 1, time: 1763900000 }));
  serveBench((await server.listen()).port);
} else {
  const database = kind === 'file' ? join(mkdtempSync(join(tmpdir(), 'milky-bench-')), 'world.sqlite') : ':memory:';
  const server = await ReferenceServer.create({ accessToken: token, port: 0, logger: silent, database });
  const { world } = server;
  const stored = () => world.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM messages')?.n ?? 0;
  serveBench((await server.listen()).address.port, async (message) => {
    if (message.type === 'stored') process.send?.({ type: 'stored', stored: stored() });
    else if (message.type === 'cost') {
      // CPU per send through the world alone (as the handler does it, without HTTP), each send
      // committed on its own (as when one call arrives per turn): the median of three runs.
      const count = message.count as number;
      const { message: segments } = resolveInput('send_group_message', structuredClone(text));
      const chat = { scene: 'group', peerId: text.group_id } as const;
      const runs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = process.cpuUsage();
        for (let i = 0; i < count; i++) {
          await world.messages.post(world.selfId, chat, segments);
          world.tx.flush();
        }
        const used = process.cpuUsage(started);
        runs.push((used.user + used.system) / count);
      }
      process.send?.({ type: 'cost', microseconds: runs.sort((a, b) => a - b)[1] });
    } else if (message.type === 'fill') {
      // `count` messages from the bot into the group the benchmark sends to, 10,000 to a transaction.
      const count = message.count as number;
      const { message: segments } = resolveInput('send_group_message', structuredClone(text));
      const prepared = await world.messages.prepare(segments, 'message');
      const chat = { scene: 'group', peerId: text.group_id } as const;
      const started = performance.now();
      for (let done = 0; done < count; done += 10_000) {
        world.tx.change(() => {
          for (let i = done; i < Math.min(count, done + 10_000); i++) world.messages.send(world.selfId, chat, prepared);
        });
        await turn();
      }
      process.send?.({ type: 'filled', seconds: (performance.now() - started) / 1000, stored: stored() });
    }
  });
}
