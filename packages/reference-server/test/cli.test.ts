import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MilkyClient } from '@milky/client';
import { defaultConnectionLimits } from '@milky/server';
import { describe, expect, test } from 'vitest';
import { type CliResult, runCli } from '../src/cli.ts';
import { limitNames, loadConfig } from '../src/config.ts';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const result: CliResult = await runCli(argv, env, { out: (text) => (out += text), err: (text) => (err += text) });
  return {
    result,
    out,
    err,
    async [Symbol.asyncDispose]() {
      if ('server' in result) await result.server.close({ deadline: 0 });
    },
  };
}

const folder = () => mkdtemp(join(tmpdir(), 'milky-cli-'));

describe('configuration', () => {
  test('flags override the environment, which overrides the file', async () => {
    const dir = await folder();
    const file = join(dir, 'config.json');
    await writeFile(
      file,
      JSON.stringify({
        port: 4001,
        host: '127.0.0.2',
        prefix: '/file',
        webhooks: ['http://127.0.0.1:9/a', { url: 'http://127.0.0.1:9/b', token: 't' }],
      }),
    );
    const fromFile = loadConfig(['--config', file], {});
    expect(fromFile).toMatchObject({
      port: 4001,
      host: '127.0.0.2',
      prefix: '/file',
      webhooks: [{ url: 'http://127.0.0.1:9/a' }, { url: 'http://127.0.0.1:9/b', token: 't' }],
    });
    const fromEnv = loadConfig(['--config', file], { MILKY_PORT: '4002', MILKY_WEBHOOK: 'http://127.0.0.1:9/c, http://127.0.0.1:9/d' });
    expect(fromEnv).toMatchObject({
      port: 4002,
      host: '127.0.0.2',
      webhooks: [{ url: 'http://127.0.0.1:9/c' }, { url: 'http://127.0.0.1:9/d' }],
    });
    expect(loadConfig(['--port', '4003', '--config', file], { MILKY_PORT: '4002', MILKY_CONFIG: '/nowhere' }).port).toBe(4003);
    expect(loadConfig([], { MILKY_CONFIG: file }).port).toBe(4001);
    expect(loadConfig([], {})).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      data: 'milky-data',
      seed: 'demo',
      memory: false,
      accessToken: undefined,
    });
    expect(loadConfig(['--no-token'], {}).accessToken).toBeNull();
    expect(loadConfig([], { MILKY_MEMORY: 'yes', MILKY_REPORT_SELF_MESSAGES: '1' })).toMatchObject({
      memory: true,
      reportSelfMessages: true,
    });
  });

  test('bad configuration is named: the key or option, and what was expected', async () => {
    const dir = await folder();
    const file = join(dir, 'config.json');
    const cases: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
      ['{"port": "80"}', ['--config', file], {}, /config\.json: port: expected an integer from 0 to 65535, got the string "80"/],
      ['{"prot": 80}', ['--config', file], {}, /config\.json: prot: unexpected field/],
      ['{"webhooks": [{"url": "ftp://x"}]}', ['--config', file], {}, /webhooks\[0\]\.url/],
      ['{port: 1}', ['--config', file], {}, /not valid JSON/],
      ['{}', ['--port', 'abc'], {}, /^milky-reference-server: --port: expected an integer from 0 to 65535, got "abc"/],
      ['{}', [], { MILKY_PORT: '-1' }, /MILKY_PORT: expected an integer/],
      ['{}', [], { MILKY_MEMORY: 'maybe' }, /MILKY_MEMORY: expected 1 or 0/],
      ['{}', ['--webhook', 'localhost:80'], {}, /--webhook: expected an http:\/\/ or https:\/\/ URL/],
      ['{}', ['--bogus'], {}, /Unknown option '--bogus'/],
      ['{}', ['--token', 'a', '--no-token'], {}, /contradict/],
      ['{}', ['--config', join(dir, 'missing.json')], {}, /cannot read the config file .*missing\.json: ENOENT/],
      ['{}', ['extra'], {}, /unexpected argument "extra"/],
    ];
    for (const [content, argv, env, message] of cases) {
      await writeFile(file, content);
      await using cli = await run(argv, env);
      expect(cli.result, argv.join(' ')).toEqual({ code: 2 });
      expect(cli.err, argv.join(' ')).toMatch(message);
      expect(cli.err).toContain('--help');
    }
  });

  test('--help explains every option; --version prints the version', async () => {
    await using help = await run(['--help']);
    expect(help.result).toEqual({ code: 0 });
    for (const option of [
      '--config',
      '--host',
      '--port',
      '--prefix',
      '--token',
      '--no-token',
      '--webhook',
      '--webhook-token',
      '--data',
      '--memory',
      '--seed',
      '--report-self-messages',
      '--public-url',
      '--cors',
      '--max-resource-bytes',
      '--limit',
      '--file-root',
    ]) {
      expect(help.out).toContain(option);
    }
    expect(help.out).toContain('MILKY_TOKEN');
    await using version = await run(['-v']);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('running', () => {
  test('a token is generated, printed, kept, and the world is kept in the data folder', async () => {
    const data = join(await folder(), 'data');
    let token: string;
    {
      await using cli = await run(['--data', data, '--port', '0']);
      if (!('server' in cli.result)) throw new Error(cli.err);
      token = /Token {5}(\S+)/.exec(cli.out)?.[1] ?? '';
      expect(token).toHaveLength(24);
      expect(cli.out).toContain(`[generated, kept in ${join(data, 'access-token')}]`);
      expect(cli.out).toMatch(/World .*world\.sqlite \(new: demo seed\)/);
      const control = /Sandbox {3}\S+\/sandbox {2}\(control token: (\S+)\)/.exec(cli.out)?.[1] ?? '';
      expect(control).toHaveLength(24);
      expect(control).not.toBe(token);
      expect((await readFile(join(data, 'control-token'), 'utf8')).trim()).toBe(control);
      const client = new MilkyClient({ baseUrl: cli.result.server.url, accessToken: token });
      await client.api.set_nickname({ new_nickname: 'kept' });
    }
    expect((await readFile(join(data, 'access-token'), 'utf8')).trim()).toBe(token);
    await using again = await run(['--data', data, '--port', '0', '--seed', 'empty']);
    if (!('server' in again.result)) throw new Error(again.err);
    expect(again.out).toContain(`Token     ${token}  [generated earlier`);
    expect(again.out).toContain('(kept from before)');
    const client = new MilkyClient({ baseUrl: again.result.server.url, accessToken: token });
    expect((await client.api.get_login_info()).nickname).toBe('kept');
    await expect(new MilkyClient({ baseUrl: again.result.server.url, accessToken: 'wrong' }).api.get_login_info()).rejects.toThrow(/401/);
  });

  test('--memory writes nothing; --no-token opens the APIs on loopback only', async () => {
    const dir = await folder();
    await using cli = await run(['--memory', '--no-token', '--port', '0', '--data', join(dir, 'never')]);
    if (!('server' in cli.result)) throw new Error(cli.err);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(cli.out).toContain('in memory');
    expect((await new MilkyClient({ baseUrl: cli.result.server.url }).api.get_login_info()).uin).toBe(10001);
    expect(cli.out).toMatch(/\/sandbox {2}\(control token: \S+\)/);
    expect(cli.out).not.toContain('#token=');
    await using closed = await run(['--memory', '--port', '0', '--no-sandbox']);
    expect(closed.out).not.toContain('Sandbox');
    await using open = await run(['--memory', '--no-token', '--host', '0.0.0.0']);
    expect(open.result).toEqual({ code: 2 });
    expect(open.err).toMatch(/refusing to listen on 0\.0\.0\.0 without an access token/);
  });

  test('--limit, MILKY_LIMITS and the file change bounds, each name checked; the server runs with them', async () => {
    const dir = await folder();
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ limits: { maxConnections: 5, idleTimeout: 30_000 } }));
    expect(
      loadConfig(['--config', file, '--limit', 'maxConnections=7'], { MILKY_LIMITS: 'idleTimeout=40000, maxMessageBytes=100' }).limits,
    ).toEqual({
      maxConnections: 7,
      idleTimeout: 40_000,
      maxMessageBytes: 100,
    });
    expect(() => loadConfig(['--limit', 'maxSockets=1'], {})).toThrow('--limit: expected name=value with a name among bodyLimit,');
    expect(() => loadConfig(['--limit', 'maxConnections=none'], {})).toThrow('--limit maxConnections: expected an integer');
    await using bad = await run(['--memory', '--port', '0', '--limit', 'headersTimeout=9000', '--limit', 'requestTimeout=8000']);
    expect(bad.result).toEqual({ code: 2 });
    expect(bad.err).toContain('headersTimeout (9000) must not be longer than requestTimeout (8000)');
    await using started = await run(['--memory', '--port', '0', '--seed', 'empty', '--limit', 'maxMessageBytes=100']);
    if (!('server' in started.result)) throw new Error(started.err);
    expect(started.result.server.world.options.maxMessageBytes).toBe(100);
  });

  test('the defaults --help gives for the bounds are the ones in force', async () => {
    await using help = await run(['--help']);
    const said = (name: string) => Number(new RegExp(`${name} (\\d+)`).exec(help.out)?.[1]);
    for (const [name, value] of Object.entries(defaultConnectionLimits)) expect(said(name), name).toBe(value);
    await using t = await run(['--memory', '--port', '0']);
    if (!('server' in t.result)) throw new Error(t.err);
    for (const name of ['maxMessageBytes', 'maxHistoryBytes'] as const) expect(said(name), name).toBe(t.result.server.world.options[name]);
    expect(said('bodyLimit')).toBe(t.result.server.bodyLimit);
    expect(
      limitNames.filter((name) => Number.isNaN(said(name))),
      'limits --help gives no default of',
    ).toEqual([]);
  });

  test('the banner shows WebHook URLs without their credentials', async () => {
    await using started = await run([
      '--memory',
      '--port',
      '0',
      '--webhook',
      'http://hook-user:hook-password@127.0.0.1:9/push?access_token=hook-secret&topic=bot',
    ]);
    expect(started.out).toContain('WebHooks  http://***:***@127.0.0.1:9/push?access_token=***&topic=bot');
    for (const secret of ['hook-user', 'hook-password', 'hook-secret']) expect(started.out + started.err).not.toContain(secret);
  });

  test('a port in use is reported plainly', async () => {
    const taken = http.createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      await using cli = await run(['--memory', '--port', String(port)]);
      expect(cli.result).toEqual({ code: 1 });
      expect(cli.err).toBe(
        `milky-reference-server: port ${port} on 127.0.0.1 is already in use. Stop what uses it, or choose another port with --port (or MILKY_PORT).\n`,
      );
    } finally {
      taken.close();
    }
  });

  test('a seed file makes a world of one’s own; a bad one is named', async () => {
    const dir = await folder();
    const seed = join(dir, 'seed.json');
    await writeFile(
      seed,
      JSON.stringify({
        self: { user_id: 50000, nickname: 'My Bot' },
        users: [{ user_id: 50001, nickname: 'Tester' }],
        friends: [{ user_id: 50001 }],
        groups: [{ group_id: 60000, name: 'QA', members: [{ user_id: 50000, role: 'owner' }, { user_id: 50001 }] }],
        messages: [{ scene: 'group', peer_id: 60000, sender_id: 50001, text: 'first!' }],
      }),
    );
    await using cli = await run(['--memory', '--port', '0', '--token', 't', '--seed', seed]);
    if (!('server' in cli.result)) throw new Error(cli.err);
    expect(cli.out).toContain(`seeded from ${seed}`);
    const client = new MilkyClient({ baseUrl: cli.result.server.url, accessToken: 't' });
    expect(await client.api.get_login_info()).toEqual({ uin: 50000, nickname: 'My Bot' });
    expect((await client.api.get_history_messages({ message_scene: 'group', peer_id: 60000 })).messages[0]?.segments).toEqual([
      { type: 'text', data: { text: 'first!' } },
    ]);

    const cases: Array<[unknown, RegExp]> = [
      [{ self: { user_id: 5, nickname: 'x' } }, /self\.user_id: expected an integer from 10001/],
      [
        { self: { user_id: 50000, nickname: 'x' }, friends: [{ user_id: 50001 }] },
        /friends\[0\] names user 50001, who is not in self or users/,
      ],
      [
        { self: { user_id: 50000, nickname: 'x' }, groups: [{ group_id: 60000, name: 'g', members: [{ user_id: 50000 }] }] },
        /groups\[0\] needs exactly one member with role "owner"/,
      ],
      [
        {
          self: { user_id: 50000, nickname: 'x' },
          messages: [{ scene: 'friend', peer_id: 50000, sender_id: 50000, segments: [{ type: 'txt', data: {} }] }],
        },
        /messages\[0\]\.segments\[0\]/,
      ],
    ];
    for (const [content, message] of cases) {
      await writeFile(seed, JSON.stringify(content));
      await using bad = await run(['--memory', '--port', '0', '--seed', seed]);
      expect(bad.result).toEqual({ code: 2 });
      expect(bad.err).toMatch(message);
    }
  });
});
