// The broker's config file: where Redis is, and the protocol sides (URL and token of each). A bad
// file names the field and what was expected.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** One protocol side of the broker: where it is and its token. */
export interface AccountConfig {
  /** A name for logs and the status view; the account is known by its QQ number once connected. */
  readonly name?: string | undefined;
  /** The protocol side's base URL (`http://127.0.0.1:3000`, with a path when it serves under one). */
  readonly url: string;
  /** Its access token. */
  readonly token?: string | undefined;
  /** How events are received: `sse` (the default, resumable), `websocket` or `auto`. */
  readonly transport?: 'sse' | 'websocket' | 'auto' | undefined;
}

/** Where `/health` and `/metrics` are served; `token` guards `/metrics` (needed beyond loopback). */
export interface OpsConfig {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
}

/** The config file of `milky-broker`, checked. */
export interface BrokerConfig {
  /** `redis://[:password@]host:port[/db]`. Default `redis://127.0.0.1:6379`. */
  readonly redis: string;
  readonly prefix?: string | undefined;
  readonly maxLen?: number | undefined;
  readonly accounts: readonly AccountConfig[];
  /** Where the gateway serves `/health` and `/metrics`; absent: not served. */
  readonly http?: OpsConfig | undefined;
  /** Calls per second allowed through each account, across all workers. Default 20. */
  readonly rateLimit?: number | undefined;
}

/** A config that cannot be used; the message names the file, the field and what was expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const maxConfigBytes = 1024 * 1024;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${typeof value === 'object' ? '' : JSON.stringify(value)}`.trim();
}

function expect(condition: boolean, where: string, what: string, value: unknown): void {
  if (!condition) throw new ConfigError(`${where}: expected ${what}, got ${typeName(value)}`);
}

const isInteger = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;

/** Whether a host name or address is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Checks a parsed config; `file` names it in errors, and relative `tokenFile`s are read from its folder. */
export function parseConfig(value: unknown, file = 'config'): BrokerConfig {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), file, 'an object', value);
  const raw = value as Record<string, unknown>;
  const known = new Set(['redis', 'prefix', 'maxLen', 'accounts', 'http', 'rateLimit']);
  for (const key of Object.keys(raw))
    if (!known.has(key)) throw new ConfigError(`${file}: ${key}: unknown key; expected one of ${[...known].join(', ')}`);
  const redis = raw.redis ?? 'redis://127.0.0.1:6379';
  expect(typeof redis === 'string' && /^rediss?:\/\//.test(redis), `${file}: redis`, 'a redis:// or rediss:// URL', redis);
  if (raw.prefix !== undefined)
    expect(
      typeof raw.prefix === 'string' && /^[\w.:-]{1,64}$/.test(raw.prefix),
      `${file}: prefix`,
      '1 to 64 letters, digits or ._:-',
      raw.prefix,
    );
  if (raw.maxLen !== undefined) expect(isInteger(raw.maxLen, 1, 1e9), `${file}: maxLen`, 'an integer from 1 to 1000000000', raw.maxLen);
  if (raw.rateLimit !== undefined)
    expect(isInteger(raw.rateLimit, 1, 1e6), `${file}: rateLimit`, 'an integer from 1 to 1000000 (calls per second)', raw.rateLimit);
  let http: BrokerConfig['http'];
  if (raw.http !== undefined) {
    const h = raw.http as Record<string, unknown>;
    expect(typeof h === 'object' && h !== null, `${file}: http`, 'an object with host and port', h);
    expect(typeof (h.host ?? '127.0.0.1') === 'string', `${file}: http.host`, 'a string', h.host);
    expect(isInteger(h.port, 0, 65535), `${file}: http.port`, 'an integer from 0 to 65535', h.port);
    if (h.token !== undefined)
      expect(typeof h.token === 'string' && h.token.length > 0, `${file}: http.token`, 'a non-empty string', '(a token, not shown)');
    const host = (h.host as string | undefined) ?? '127.0.0.1';
    if (h.token === undefined && !isLoopback(host)) {
      throw new ConfigError(
        `${file}: http.token: required when http.host is not a loopback address (${host}): /metrics would be open to anyone`,
      );
    }
    http = { host, port: h.port as number, token: h.token as string | undefined };
  }
  expect(Array.isArray(raw.accounts) && raw.accounts.length > 0, `${file}: accounts`, 'a non-empty array of { url, token }', raw.accounts);
  const accounts = (raw.accounts as unknown[]).map((entry, index): AccountConfig => {
    const where = `${file}: accounts[${index}]`;
    expect(typeof entry === 'object' && entry !== null && !Array.isArray(entry), where, 'an object with url and token', entry);
    const account = entry as Record<string, unknown>;
    for (const key of Object.keys(account)) {
      if (!['name', 'url', 'token', 'tokenFile', 'transport'].includes(key))
        throw new ConfigError(`${where}.${key}: unknown key; expected name, url, token, tokenFile or transport`);
    }
    expect(typeof account.url === 'string' && /^https?:\/\//.test(account.url), `${where}.url`, 'an http(s) URL', account.url);
    if (account.name !== undefined) expect(typeof account.name === 'string', `${where}.name`, 'a string', account.name);
    if (account.transport !== undefined)
      expect(
        ['sse', 'websocket', 'auto'].includes(account.transport as string),
        `${where}.transport`,
        'sse, websocket or auto',
        account.transport,
      );
    let token: string | undefined;
    if (account.token !== undefined) {
      expect(typeof account.token === 'string' && account.token.length > 0, `${where}.token`, 'a non-empty string', '(a token, not shown)');
      token = account.token as string;
    }
    if (account.tokenFile !== undefined) {
      expect(typeof account.tokenFile === 'string', `${where}.tokenFile`, 'a path', account.tokenFile);
      const path = resolve(file === 'config' ? '.' : dirname(file), account.tokenFile as string);
      try {
        token = readFileSync(path, 'utf8').trim();
      } catch (error) {
        throw new ConfigError(`${where}.tokenFile: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    return {
      name: account.name as string | undefined,
      url: account.url as string,
      token,
      transport: account.transport as AccountConfig['transport'],
    };
  });
  return {
    redis: redis as string,
    prefix: raw.prefix as string | undefined,
    maxLen: raw.maxLen as number | undefined,
    accounts,
    http,
    rateLimit: raw.rateLimit as number | undefined,
  };
}

/** Reads and checks a config file. */
export function readConfig(path: string): BrokerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (Buffer.byteLength(text) > maxConfigBytes) throw new ConfigError(`${path}: larger than ${maxConfigBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not JSON (${(error as Error).message})`);
  }
  return parseConfig(value, path);
}
