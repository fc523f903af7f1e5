#!/usr/bin/env node
// `milky-broker`: the gateway, workers that load a handler module, and the status view.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type BrokerConfig, ConfigError, isLoopback, readConfig } from './config.ts';
import { Keys } from './keys.ts';
import { consoleLogger } from './logger.ts';
import type { Handler } from './worker.ts';

/** What `milky-broker --help` prints. */
export const help = `milky-broker: many Milky accounts, many workers, on Redis Streams

Usage: milky-broker <gateway|worker|status> [options]

  milky-broker gateway --config broker.json [--http 127.0.0.1:9464]
      connects to every protocol side of the config and appends their events to Redis;
      --http serves /health and /metrics (Prometheus)
  milky-broker worker --config broker.json --group NAME --handler ./handler.js
      [--concurrency 8] [--max-attempts 3] [--claim-idle 60000] [--start new|all]
      [--once-per-group-message] [--account UIN] [--http 127.0.0.1:9465]
      a worker of a consumer group; the module's default export handles each event:
      export default async (event, context) => { ... }  (context.api, context.group(id))
  milky-broker status --config broker.json [--json]   (or --redis URL [--prefix P])
      accounts, streams, and each consumer group's lag, pending entries and dead letters

The config file: { "redis": "redis://127.0.0.1:6379", "accounts": [ { "name": "main",
  "url": "http://127.0.0.1:3000", "token": "…" or "tokenFile": "./token" } ], "maxLen": 100000,
  "prefix": "milky", "rateLimit": 20, "http": { "host": "127.0.0.1", "port": 9464, "token": "…" } }
  (http.token guards /metrics, and is required beyond loopback)
SIGINT or SIGTERM stops gracefully: nothing received is left unappended, nothing handled unacknowledged.
`;

/** A command line the command cannot run: it exits with 2 and says why. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function hostPort(value: string, flag: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`${flag}: expected HOST:PORT, got ${JSON.stringify(value)}`);
  return { host: match[1] || '127.0.0.1', port };
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new UsageError(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return number;
}

function until(signals: readonly NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of signals) process.once(signal, () => resolve(signal));
  });
}

/** Where the command writes: its standard output and standard error. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs a command; resolves with the exit code (a gateway or worker once stopped by a signal). */
export async function runBroker(
  argv: readonly string[],
  io: CliIo,
  stop: Promise<unknown> = until(['SIGINT', 'SIGTERM']),
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === 'help' || command === '-h') {
    io.out(help);
    return command === undefined ? 2 : 0;
  }
  try {
    // A wrong command is told before anything is loaded, as help is.
    if (command !== 'gateway' && command !== 'worker' && command !== 'status')
      throw new UsageError(`unknown command ${JSON.stringify(command)}; expected gateway, worker or status`);
    const { values } = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        redis: { type: 'string' },
        prefix: { type: 'string' },
        http: { type: 'string' },
        json: { type: 'boolean' },
        group: { type: 'string' },
        handler: { type: 'string' },
        concurrency: { type: 'string' },
        'max-attempts': { type: 'string' },
        'claim-idle': { type: 'string' },
        start: { type: 'string' },
        'once-per-group-message': { type: 'boolean' },
        account: { type: 'string' },
      },
      strict: true,
    });
    const config: BrokerConfig | undefined = values.config ? readConfig(values.config) : undefined;
    const redisUrl = values.redis ?? config?.redis;
    const prefix = values.prefix ?? config?.prefix;
    // The config's `http` is the gateway's; a worker serves its metrics only where --http says.
    const http = values.http
      ? { ...hostPort(values.http, '--http'), token: config?.http?.token }
      : command === 'gateway'
        ? config?.http
        : undefined;
    if (http && http.token === undefined && !isLoopback(http.host)) {
      throw new UsageError(`--http ${http.host}: beyond loopback, /metrics needs a token (the config's http.token)`);
    }
    // Redis, the gateway and the worker are loaded only now: help and bad options answer without them.
    const [{ Redis }, { Calls }, { Gateway }, { serveOps }, { redisDefaults }, { formatStatus, readStatus }, { Worker }] =
      await Promise.all([
        import('ioredis'),
        import('./calls.ts'),
        import('./gateway.ts'),
        import('./http.ts'),
        import('./redis.ts'),
        import('./status.ts'),
        import('./worker.ts'),
      ]);
    if (command === 'status') {
      if (!redisUrl) throw new UsageError('status needs --config or --redis');
      const redis = new Redis(redisUrl, { ...redisDefaults, lazyConnect: true });
      try {
        await redis.connect();
        const status = await readStatus(redis, prefix);
        io.out(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
      } finally {
        redis.disconnect();
      }
      return 0;
    }
    if (!config) throw new UsageError(`${command} needs --config (the accounts' URLs and tokens)`);
    if (command === 'gateway') {
      const gateway = new Gateway({
        redis: redisUrl ?? config.redis,
        accounts: config.accounts,
        prefix,
        maxLen: config.maxLen,
        logger: consoleLogger,
      });
      const ops = http ? await serveOps({ health: () => gateway.health(), metrics: () => gateway.metrics.text() }, http) : undefined;
      const started = gateway.start();
      if (ops) io.err(`milky-broker gateway: ${ops.url}/health, ${ops.url}/metrics\n`);
      await Promise.race([started, stop]);
      const up = gateway.accounts.filter((account) => account.connected);
      io.err(
        `milky-broker gateway: ${up.length} of ${gateway.accounts.length} accounts up (${up.map((a) => `${a.name} ${a.uin}`).join(', ')}) → ${new Keys(prefix).combined}\n`,
      );
      const signal = await stop;
      io.err(`milky-broker gateway: ${String(signal)}, stopping\n`);
      await gateway.stop();
      await ops?.close();
      return 0;
    }
    // The worker (the one command left).
    if (!values.group) throw new UsageError('worker needs --group NAME');
    if (!values.handler) throw new UsageError('worker needs --handler ./module.js (its default export handles each event)');
    if (values.start !== undefined && values.start !== 'new' && values.start !== 'all')
      throw new UsageError(`--start: expected new or all, got ${JSON.stringify(values.start)}`);
    const module = (await import(pathToFileURL(resolve(values.handler)).href)) as { default?: unknown };
    if (typeof module.default !== 'function')
      throw new UsageError(`--handler ${values.handler}: expected a default export that is a function (event, context)`);
    const redis = new Redis(redisUrl ?? config.redis, { ...redisDefaults, connectionName: 'milky-broker:worker' });
    const calls = new Calls(redis, new Keys(prefix), { accounts: config.accounts, rateLimit: config.rateLimit, logger: consoleLogger });
    const account = integer(values.account, '--account');
    const concurrency = integer(values.concurrency, '--concurrency');
    const maxAttempts = integer(values['max-attempts'], '--max-attempts');
    const claimIdle = integer(values['claim-idle'], '--claim-idle');
    const worker = new Worker({
      redis,
      group: values.group,
      prefix,
      handler: module.default as Handler,
      calls,
      logger: consoleLogger,
      oncePerGroupMessage: values['once-per-group-message'] ?? false,
      start: (values.start as 'new' | 'all' | undefined) ?? 'new',
      ...(account !== undefined ? { account } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      ...(claimIdle !== undefined ? { claimIdle } : {}),
    });
    await worker.start();
    const ops = http
      ? await serveOps(
          {
            health: async () => ({ ok: (await redis.ping()) === 'PONG', consumer: worker.consumer }),
            metrics: () => worker.metrics.text(),
          },
          http,
        )
      : undefined;
    io.err(`milky-broker worker ${worker.consumer} in group ${values.group} on ${worker.stream}${ops ? `; ${ops.url}/metrics` : ''}\n`);
    const signal = await stop;
    io.err(`milky-broker worker: ${String(signal)}, finishing the events in hand\n`);
    await worker.stop();
    await ops?.close();
    redis.disconnect();
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`milky-broker: ${(error as Error).message}\nRun milky-broker --help to see every command.\n`);
      return 2;
    }
    throw error;
  }
}

/** The `milky-broker` command as its launcher runs it: the process's arguments, standard output and error, and exit code. */
export async function main(): Promise<void> {
  process.exitCode = await runBroker(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
