// Configuration of the command line server, from three places, each overriding the one before:
// a JSON file (`--config`), environment variables (`MILKY_…`), and flags.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type MilkySchema, validator } from '@milky/types';
import { type Static, Type } from '@sinclair/typebox';
import { ConfigError, parseCommandLine } from './options.ts';
import type { ReferenceServerOptions } from './reference-server.ts';

const WebhookEntry = Type.Union([
  Type.String({ pattern: '^https?://' }),
  Type.Object(
    { url: Type.String({ pattern: '^https?://' }), token: Type.Optional(Type.String({ minLength: 1 })) },
    { additionalProperties: false },
  ),
]);

/** The bounds an operator may change with `--limit name=value`, each a positive integer (bytes, ms or a count). */
export const limitNames = [
  'bodyLimit',
  'maxMessageBytes',
  'maxHistoryBytes',
  'maxEventBytes',
  'clientBufferLimit',
  'heartbeatInterval',
  'sseKeepAliveInterval',
  'sseRetry',
  'sseReplay',
  'sseReplayBytes',
  'headersTimeout',
  'requestTimeout',
  'keepAliveTimeout',
  'idleTimeout',
  'maxConnections',
  'maxPendingPerAddress',
  'sandboxBufferLimit',
  'downloadBufferLimit',
] as const satisfies ReadonlyArray<keyof ReferenceServerOptions>;

export type LimitName = (typeof limitNames)[number];
export type Limits = { readonly [N in LimitName]?: number };

const LimitsConfig = Type.Object(Object.fromEntries(limitNames.map((name) => [name, Type.Optional(Type.Integer({ minimum: 1 }))])), {
  additionalProperties: false,
});

const FileConfig = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    prefix: Type.Optional(Type.String()),
    accessToken: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    controlToken: Type.Optional(Type.String({ minLength: 1 })),
    sandbox: Type.Optional(Type.Boolean()),
    webhooks: Type.Optional(Type.Array(WebhookEntry)),
    webhookToken: Type.Optional(Type.String({ minLength: 1 })),
    data: Type.Optional(Type.String({ minLength: 1 })),
    memory: Type.Optional(Type.Boolean()),
    seed: Type.Optional(Type.String({ minLength: 1 })),
    reportSelfMessages: Type.Optional(Type.Boolean()),
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    cors: Type.Optional(Type.Array(Type.String())),
    maxResourceBytes: Type.Optional(Type.Integer({ minimum: 1 })),
    fileRoot: Type.Optional(Type.String({ minLength: 1 })),
    limits: Type.Optional(LimitsConfig),
  },
  { additionalProperties: false },
);

type FileConfig = Static<typeof FileConfig>;

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly prefix: string;
  /** The token; `null` when explicitly disabled; `undefined` to generate one. */
  readonly accessToken: string | null | undefined;
  /** The sandbox's control token; `undefined` to generate one. */
  readonly controlToken: string | undefined;
  /** Whether to serve the sandbox (its control API and page). */
  readonly sandbox: boolean;
  readonly webhooks: ReadonlyArray<{ url: string; token?: string }>;
  readonly webhookToken: string | undefined;
  readonly data: string;
  readonly memory: boolean;
  /** `demo`, `empty`, or the path of a seed file. */
  readonly seed: string;
  readonly reportSelfMessages: boolean;
  readonly publicUrl: string | undefined;
  readonly cors: readonly string[];
  readonly maxResourceBytes: number | undefined;
  /** The folder `file://` URIs may read from; any file when absent. */
  readonly fileRoot: string | undefined;
  /** Bounds changed from their defaults. */
  readonly limits: Limits;
}

const fileValidator = validator(FileConfig as unknown as MilkySchema<FileConfig>);

function readConfigFile(path: string): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const issue = fileValidator.issues(value, 1)[0];
  if (issue) throw new ConfigError(`${path}: ${issue.message}`);
  return value as FileConfig;
}

function integer(value: string, what: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max)
    throw new ConfigError(`${what}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return number;
}

function flag(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${what}: expected 1 or 0 (true or false), got ${JSON.stringify(value)}`);
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined || value === ''
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
}

function checkUrl(url: string, what: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(`${what}: expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

/** `name=value` pairs of bounds, as `what` gave them. */
function parseLimits(pairs: readonly string[], what: string): Limits {
  const limits: Record<string, number> = {};
  for (const pair of pairs) {
    const [name = '', value = ''] = pair.split('=', 2).map((part) => part.trim());
    if (!(limitNames as readonly string[]).includes(name)) {
      throw new ConfigError(`${what}: expected name=value with a name among ${limitNames.join(', ')}, got ${JSON.stringify(pair)}`);
    }
    limits[name] = integer(value, `${what} ${name}`, 1, Number.MAX_SAFE_INTEGER);
  }
  return limits;
}

/** Whether an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Reads the configuration from flags, the environment and a config file. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const flags = parseCommandLine(argv);
  const configPath = flags.config ?? (env.MILKY_CONFIG || undefined);
  const file: FileConfig = configPath ? readConfigFile(configPath) : {};
  const source = configPath ?? 'config';

  const envPort = env.MILKY_PORT ? integer(env.MILKY_PORT, 'MILKY_PORT', 0, 65535) : undefined;
  const port = flags.port !== undefined ? integer(flags.port, '--port', 0, 65535) : (envPort ?? file.port ?? 3000);
  if (flags.token !== undefined && flags['no-token']) throw new ConfigError('--token and --no-token contradict each other');
  const accessToken = flags['no-token'] ? null : (flags.token ?? (env.MILKY_TOKEN || undefined) ?? file.accessToken);
  if (accessToken === '') throw new ConfigError('--token: a token cannot be empty');

  const webhookUrls = flags.webhook?.length ? flags.webhook : list(env.MILKY_WEBHOOK);
  const webhooks = webhookUrls
    ? webhookUrls.map((url) => ({ url: checkUrl(url, flags.webhook?.length ? '--webhook' : 'MILKY_WEBHOOK') }))
    : (file.webhooks ?? []).map((entry, index) =>
        typeof entry === 'string'
          ? { url: checkUrl(entry, `${source}: webhooks[${index}]`) }
          : { url: checkUrl(entry.url, `${source}: webhooks[${index}].url`), ...(entry.token ? { token: entry.token } : {}) },
      );
  const publicUrl = flags['public-url'] ?? (env.MILKY_PUBLIC_URL || undefined) ?? file.publicUrl;
  const maxBytes = flags['max-resource-bytes'] ?? (env.MILKY_MAX_RESOURCE_BYTES || undefined);
  return {
    host: flags.host ?? (env.MILKY_HOST || undefined) ?? file.host ?? '127.0.0.1',
    port,
    prefix: flags.prefix ?? env.MILKY_PREFIX ?? file.prefix ?? '',
    accessToken,
    controlToken: flags['control-token'] ?? (env.MILKY_CONTROL_TOKEN || undefined) ?? file.controlToken,
    sandbox: flags['no-sandbox'] ? false : (flag(env.MILKY_SANDBOX, 'MILKY_SANDBOX') ?? file.sandbox ?? true),
    webhooks,
    webhookToken: flags['webhook-token'] ?? (env.MILKY_WEBHOOK_TOKEN || undefined) ?? file.webhookToken,
    data: flags.data ?? (env.MILKY_DATA || undefined) ?? file.data ?? 'milky-data',
    memory: flags.memory ?? flag(env.MILKY_MEMORY, 'MILKY_MEMORY') ?? file.memory ?? false,
    seed: flags.seed ?? (env.MILKY_SEED || undefined) ?? file.seed ?? 'demo',
    reportSelfMessages:
      flags['report-self-messages'] ??
      flag(env.MILKY_REPORT_SELF_MESSAGES, 'MILKY_REPORT_SELF_MESSAGES') ??
      file.reportSelfMessages ??
      false,
    publicUrl: publicUrl === undefined ? undefined : checkUrl(publicUrl, '--public-url'),
    cors: flags.cors?.length ? flags.cors : (list(env.MILKY_CORS) ?? file.cors ?? []),
    maxResourceBytes:
      maxBytes !== undefined ? integer(maxBytes, '--max-resource-bytes', 1, Number.MAX_SAFE_INTEGER) : file.maxResourceBytes,
    fileRoot: flags['file-root'] ?? (env.MILKY_FILE_ROOT || undefined) ?? file.fileRoot,
    limits: {
      ...file.limits,
      ...parseLimits(list(env.MILKY_LIMITS) ?? [], 'MILKY_LIMITS'),
      ...parseLimits(flags.limit ?? [], '--limit'),
    },
  };
}
