// `milky-broker`: the config file's errors, the gateway with /health and /metrics, and the status view.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBroker } from '../src/cli.ts';
import { parseConfig } from '../src/index.ts';
import { freshPrefix, redisUrl, say, sides, token } from './helpers.ts';

function io() {
  let out = '';
  let err = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  return {
    io: {
      out: (text: string) => {
        out += text;
      },
      err: (text: string) => {
        err += text;
        for (const waiter of waiters) if (err.includes(waiter.text)) waiter.resolve();
      },
    },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    /** Resolves once stderr has said `text`. */
    said(text: string): Promise<void> {
      return new Promise((resolve) => (err.includes(text) ? resolve() : waiters.push({ text, resolve })));
    },
  };
}

function configFile(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'milky-broker-')), 'broker.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('the config file', () => {
  test.each([
    [{ accounts: [] }, 'config: accounts: expected a non-empty array of { url, token }, got an array'],
    [{ accounts: [{ url: 'ftp://x' }] }, 'config: accounts[0].url: expected an http(s) URL, got the string "ftp://x"'],
    [
      { accounts: [{ url: 'http://x', token: '' }] },
      'config: accounts[0].token: expected a non-empty string, got the string "(a token, not shown)"',
    ],
    [
      { accounts: [{ url: 'http://x', tokne: 'a' }] },
      'config: accounts[0].tokne: unknown key; expected name, url, token, tokenFile or transport',
    ],
    [
      { redis: 'http://x', accounts: [{ url: 'http://x' }] },
      'config: redis: expected a redis:// or rediss:// URL, got the string "http://x"',
    ],
    [{ maxLen: 0, accounts: [{ url: 'http://x' }] }, 'config: maxLen: expected an integer from 1 to 1000000000, got number 0'],
  ])('%j is refused: %s', (value, message) => {
    expect(() => parseConfig(value)).toThrow(message);
  });

  test('/metrics beyond loopback needs a token', () => {
    expect(() => parseConfig({ accounts: [{ url: 'http://x' }], http: { host: '0.0.0.0', port: 9464 } })).toThrow(
      'config: http.token: required when http.host is not a loopback address (0.0.0.0): /metrics would be open to anyone',
    );
    expect(parseConfig({ accounts: [{ url: 'http://x' }], http: { host: '0.0.0.0', port: 9464, token: 'm' } }).http).toEqual({
      host: '0.0.0.0',
      port: 9464,
      token: 'm',
    });
  });

  test('the command names the file and the field, exits 2, and never prints a token', async () => {
    const output = io();
    const secret = 'do-not-print-me';
    const file = configFile({ accounts: [{ url: 'http://127.0.0.1:1', token: secret, transport: 'carrier-pigeon' }] });
    expect(await runBroker(['gateway', '--config', file], output.io)).toBe(2);
    expect(output.err).toContain(`${file}: accounts[0].transport: expected sse, websocket or auto, got the string "carrier-pigeon"`);
    expect(output.err).not.toContain(secret);
  });
});

describe('the command', () => {
  test('gateway serves /health and /metrics, status shows the accounts and groups, a signal stops it', async () => {
    await using worlds = await sides(2);
    const prefix = freshPrefix();
    const file = configFile({
      redis: redisUrl(),
      prefix,
      accounts: worlds.map((side) => ({ name: `bot ${side.uin}`, url: side.url, token })),
      http: { host: '127.0.0.1', port: 0 },
    });
    const output = io();
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const running = runBroker(['gateway', '--config', file], output.io, stopped);
    await output.said('2 of 2 accounts up');
    expect(output.err).not.toContain(token);
    const base = /(http:\/\/127\.0\.0\.1:\d+)\/health/.exec(output.err)?.[1];
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      redis: true,
      accounts: worlds.map((side) => ({ uin: side.uin, connected: true })),
    });
    await say(worlds[0] as (typeof worlds)[0], 'counted');
    const status = io();
    expect(await runBroker(['status', '--config', file], status.io)).toBe(0);
    expect(status.out).toMatch(/30001 +connected +bot 30001/);
    expect(status.out).toMatch(/30002 +connected +bot 30002/);
    stop('SIGTERM');
    expect(await running).toBe(0);
    const json = io();
    expect(await runBroker(['status', '--redis', redisUrl(), '--prefix', prefix, '--json'], json.io)).toBe(0);
    const after = JSON.parse(json.out) as { accounts: Array<{ connected: boolean }> };
    expect(after.accounts.map((account) => account.connected)).toEqual([false, false]);
    expect(output.err).toContain('SIGTERM, stopping');
  });

  test('metrics are in the Prometheus text format, one series per account, behind http.token when set', async () => {
    await using worlds = await sides(1);
    const prefix = freshPrefix();
    const file = configFile({
      redis: redisUrl(),
      prefix,
      accounts: [{ url: worlds[0]?.url, token }],
      http: { host: '127.0.0.1', port: 0, token: 'metrics-token' },
    });
    const output = io();
    let stop!: (signal: string) => void;
    const running = runBroker(['gateway', '--config', file], output.io, new Promise((resolve) => (stop = resolve)));
    await output.said('1 of 1 accounts up');
    const base = /(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(output.err)?.[1];
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-token' } })).text();
    expect(text).toContain('# TYPE milky_broker_events_appended_total counter');
    expect(text).toContain('milky_broker_account_connected{account="30001"} 1');
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    stop('SIGINT');
    expect(await running).toBe(0);
  });

  test('no command prints the help and exits 2; an unknown one exits 2 naming it', async () => {
    const none = io();
    expect(await runBroker([], none.io)).toBe(2);
    expect(none.out).toContain('milky-broker gateway --config broker.json');
    const unknown = io();
    expect(await runBroker(['launch', '--redis', redisUrl()], unknown.io)).toBe(2);
    expect(unknown.err).toContain('launch');
  });
});
