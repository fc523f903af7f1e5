// Load from Debian's `wrk` (installed by `npm run bench`; `apt-get install wrk` otherwise), in a
// process of its own on the load generators' core, with the CPU it used.

import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followCpu, spawnOn } from './processes.ts';

export interface WrkRequest {
  readonly url: string;
  readonly body: string;
  readonly token: string;
  readonly connections: number;
  readonly seconds: number;
}

export interface WrkResult {
  /** Requests per second. */
  readonly rate: number;
  /** Latency percentiles, in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  /** The share of one core the generator used (1 = a whole core). */
  readonly cpu: number;
}

let checked = false;
function requireWrk(): void {
  if (checked) return;
  if (spawnSync('wrk', ['--version']).error) {
    throw new Error('wrk is not installed: `npm run bench` installs it, or run `apt-get install -y wrk`');
  }
  checked = true;
}

const scripts = new Map<string, string>();
/** A Lua script making wrk POST `body` with the token: the body is read from a file, so any bytes go. */
function script(body: string, token: string): string {
  const key = `${token}\n${body}`;
  let path = scripts.get(key);
  if (!path) {
    const dir = mkdtempSync(join(tmpdir(), 'milky-wrk-'));
    writeFileSync(join(dir, 'body.json'), body);
    path = join(dir, 'post.lua');
    writeFileSync(
      path,
      [
        `local file = io.open(${JSON.stringify(join(dir, 'body.json'))}, "rb")`,
        'wrk.body = file:read("*a")',
        'file:close()',
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        `wrk.headers["Authorization"] = "Bearer ${token}"`,
        '',
      ].join('\n'),
    );
    scripts.set(key, path);
  }
  return path;
}

/** `1.23ms`, `456.00us`, `1.01s` → milliseconds. */
function milliseconds(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 'ms' ? value : match[2] === 's' ? value * 1000 : value * 60_000;
}

/** Runs wrk (one thread) against `url`; throws when any answer was not 2xx or a socket failed. */
export async function wrk(request: WrkRequest): Promise<WrkResult> {
  requireWrk();
  const child = spawnOn('generator', 'wrk', [
    '-t1',
    `-c${request.connections}`,
    `-d${request.seconds}s`,
    '--latency',
    '-s',
    script(request.body, request.token),
    request.url,
  ]);
  const cpu = followCpu(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const used = cpu.done();
  if (code !== 0) throw new Error(`wrk exited with code ${code}:\n${output}`);
  const failures = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1];
  const errors = /Socket errors: (.+)/.exec(output)?.[1];
  if (failures || errors) throw new Error(`${request.url}: ${failures ?? 0} non-2xx answers, socket errors: ${errors ?? 'none'}`);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  if (!Number.isFinite(rate)) throw new Error(`wrk printed no rate:\n${output}`);
  return {
    rate,
    p50: milliseconds(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99: milliseconds(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    cpu: used,
  };
}
