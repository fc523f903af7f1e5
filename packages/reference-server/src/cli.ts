#!/usr/bin/env node
// The command line server: reads the configuration, opens (or creates and seeds) the world in the
// data folder, listens, and prints where everything is. Ctrl+C stops it gracefully.

import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { milkyVersion } from '@milky/types/version';
import type { Logger } from '@milky/webhook';
import type { Config } from './config.ts';
import { implName, implVersion } from './identity.ts';
import { redactUrl } from './internal/logger.ts';
import { ConfigError, help, parseCommandLine } from './options.ts';
import type { ReferenceServer } from './reference-server.ts';
import type { WorldSeed } from './world/seed.ts';

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export type CliResult = { readonly code: number } | { readonly server: ReferenceServer; readonly config: Config };

function consoleLines(output: CliOutput): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    output.err(
      `[${new Date().toISOString()}] ${level} ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}\n`,
    );
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** 18 random bytes as base64url; Web Crypto, so that node:crypto is loaded only when a secret is made (not for `--help`). */
const randomSecret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url');

/** A secret: the configured one, or one generated once and kept in the data folder (`file`). */
function secret(config: Config, configured: string | undefined, file: string): { value: string; origin: string } {
  if (configured !== undefined) return { value: configured, origin: 'configured' };
  if (config.memory) return { value: randomSecret(), origin: 'generated for this run' };
  const path = join(config.data, file);
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept) return { value: kept, origin: `generated earlier, kept in ${path}` };
  }
  const value = randomSecret();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { value, origin: `generated, kept in ${path}` };
}

/** Runs the server as the command line does; resolves once it listens (or with an exit code). */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: CliOutput): Promise<CliResult> {
  const usage = (error: unknown): CliResult => {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`${implName}: ${error.message}\nRun ${implName} --help to see every option.\n`);
    return { code: 2 };
  };
  // The command line is read first, alone: help, the version and a wrong option answer without
  // the rest of the configuration, which validates a config file with the protocol's validators.
  let flags: ReturnType<typeof parseCommandLine>;
  try {
    flags = parseCommandLine(argv);
  } catch (error) {
    return usage(error);
  }
  if (flags.help) {
    output.out(help);
    return { code: 0 };
  }
  if (flags.version) {
    output.out(`${implVersion}\n`);
    return { code: 0 };
  }
  const { isLoopback, loadConfig } = await import('./config.ts');
  let config: Config;
  try {
    config = loadConfig(argv, env);
  } catch (error) {
    return usage(error);
  }
  if (!isLoopback(config.host) && !config.accessToken) {
    output.err(
      `${implName}: refusing to listen on ${config.host} without an access token: anyone who reaches it could act as the bot.\n` +
        'Give one with --token (or MILKY_TOKEN), or listen on 127.0.0.1.\n',
    );
    return { code: 2 };
  }
  if (config.fileRoot !== undefined && !statSync(config.fileRoot, { throwIfNoEntry: false })?.isDirectory()) {
    output.err(`${implName}: --file-root: no folder at ${config.fileRoot}\n`);
    return { code: 2 };
  }
  // The server is loaded only now: help, the version and bad options answer without it.
  const [{ ReferenceServer }, { readSeedFile, SeedError }] = await Promise.all([
    import('./reference-server.ts'),
    import('./world/seed.ts'),
  ]);
  let seed: 'demo' | 'empty' | WorldSeed;
  const database = config.memory ? ':memory:' : join(config.data, 'world.sqlite');
  const existing = !config.memory && existsSync(database);
  try {
    // An existing world is never reseeded, so its seed file is not read either.
    if (config.seed === 'demo' || config.seed === 'empty') seed = config.seed;
    else seed = existing ? 'empty' : await readSeedFile(config.seed);
    if (!config.memory) mkdirSync(config.data, { recursive: true });
  } catch (error) {
    output.err(`${implName}: ${(error as Error).message}\n`);
    return { code: 2 };
  }
  const access =
    config.accessToken === null
      ? { value: undefined, origin: 'none: any app on this machine may call' }
      : secret(config, config.accessToken, 'access-token');
  const token = access.value;
  const control = config.sandbox ? secret(config, config.controlToken, 'control-token') : undefined;
  if (control && control.value === token) {
    output.err(`${implName}: the control token must differ from the access token\n`);
    return { code: 2 };
  }
  const webhookToken = config.webhookToken ?? token;
  let server: ReferenceServer;
  try {
    server = await ReferenceServer.create({
      database,
      seed,
      accessToken: token,
      controlToken: control?.value,
      host: config.host,
      port: config.port,
      prefix: config.prefix,
      cors: config.cors,
      reportSelfMessages: config.reportSelfMessages,
      publicUrl: config.publicUrl,
      maxResourceBytes: config.maxResourceBytes,
      fileRoot: config.fileRoot,
      ...config.limits,
      logger: consoleLines(output),
      ...(config.webhooks.length > 0
        ? {
            webhook: {
              targets: config.webhooks.map((target) => ({ url: target.url, token: target.token ?? webhookToken ?? null })),
              // A kept world keeps its undelivered pushes too, for the next start.
              ...(config.memory ? {} : { store: { sqlite: join(config.data, 'webhook-queue.sqlite') } }),
            },
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof SeedError) {
      output.err(`${implName}: the seed ${config.seed} does not make a world: ${error.message}\n`);
      return { code: 2 };
    }
    // The bounds are checked together when the server is made (a header timeout longer than the request's, say).
    if (error instanceof TypeError) {
      output.err(`${implName}: ${error.message}\n`);
      return { code: 2 };
    }
    output.err(`${implName}: cannot open the world in ${database}: ${(error as Error).message}\n`);
    return { code: 1 };
  }
  let url: string;
  try {
    ({ url } = await server.listen());
  } catch (error) {
    await server.close({ deadline: 0 }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      output.err(
        `${implName}: port ${config.port} on ${config.host} is already in use. Stop what uses it, or choose another port with --port (or MILKY_PORT).\n`,
      );
    } else if (code === 'EACCES') {
      output.err(`${implName}: not allowed to listen on port ${config.port} of ${config.host}; choose a port above 1023.\n`);
    } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      output.err(`${implName}: ${config.host} is not an address of this machine.\n`);
    } else output.err(`${implName}: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`);
    return { code: 1 };
  }
  const { world } = server;
  const self = world.requireUser(world.selfId);
  const events = url.replace(/^http/, 'ws');
  output.out(
    [
      `Milky reference server ${implVersion} (Milky ${milkyVersion}) is running.`,
      `  API       ${url}/api/<name>`,
      `  Events    ${events}/event (WebSocket), ${url}/event (SSE)`,
      `  Token     ${token ?? '(none)'}  [${access.origin}]`,
      `  World     ${config.memory ? 'in memory, gone when the server stops' : resolve(database)}${world.created ? ` (new: ${typeof seed === 'string' ? `${seed} seed` : `seeded from ${config.seed}`})` : ' (kept from before)'}`,
      `  Bot       ${self.nickname} (${world.selfId})`,
      ...(control
        ? [
            // The control token stays out of the link, so that it is kept in no browser history.
            `  Sandbox   ${server.world.links.origin}/sandbox  (control token: ${control.value})`,
            `            milky-sandbox --url ${server.world.links.origin} --token ${control.value} as 10002 say hello  [${control.origin}]`,
          ]
        : []),
      ...(config.webhooks.length > 0 ? [`  WebHooks  ${config.webhooks.map((target) => redactUrl(target.url)).join(', ')}`] : []),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  return { server, config };
}

/** The `milky-reference-server` command: runs until Ctrl+C (its launcher, `bin/`, calls it). */
export async function main(): Promise<void> {
  // node:sqlite announces itself as experimental on some Node versions; that is noise here.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'ExperimentalWarning' && /SQLite/i.test(warning.message)) return;
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
  const output: CliOutput = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
  const result = await runCli(process.argv.slice(2), process.env, output);
  if ('code' in result) {
    process.exitCode = result.code;
    return;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    output.err(`${signal}: stopping (Ctrl+C again to stop at once)\n`);
    const report = await result.server.close({ deadline: 5000 });
    for (const target of report.webhook?.undelivered ?? []) {
      output.err(`${target.count} WebHook pushes to ${target.url} were not delivered${target.kept ? ' (kept for the next start)' : ''}\n`);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
