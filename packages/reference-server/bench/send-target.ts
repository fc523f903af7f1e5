// A server under test for send.bench.ts, in its own process: `noop` (a handler that does nothing),
// `memory` (the reference server on an in-memory world) or `file` (on a world in a SQLite file).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilkyServer } from '@milky/server';
import { ReferenceServer } from '../src/index.ts';

const token = 'bench-token';
const silent = { info() {}, warn() {}, error() {} };
const kind = process.argv[2];

let port: number;
if (kind === 'noop') {
  const server = new MilkyServer({ accessToken: token, port: 0, logger: silent });
  server.handle('send_group_message', () => ({ message_seq: 1, time: 1763900000 }));
  port = (await server.listen()).port;
} else {
  const database = kind === 'file' ? join(mkdtempSync(join(tmpdir(), 'milky-bench-')), 'world.sqlite') : ':memory:';
  const server = await ReferenceServer.create({ accessToken: token, port: 0, logger: silent, database });
  port = (await server.listen()).address.port;
}
process.send?.(port);
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
