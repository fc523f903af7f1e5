// A real Redis for the broker's tests and benchmark and for the consumer test's broker examples:
// Debian's redis-server (`npm test` installs it when missing; REDIS_SERVER names another binary)
// on a free loopback port, nothing written to disk.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export interface RunningRedis {
  readonly url: string;
  readonly port: number;
  /** Stops it with SIGTERM, and SIGKILL when it has not exited after 10 s. */
  stop(): Promise<void>;
}

/** A free port of 127.0.0.1, for a process that must be told its port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output.slice(-2000)}`)));
  });
}

export async function startRedis(): Promise<RunningRedis> {
  const binary = process.env.REDIS_SERVER || '/usr/bin/redis-server';
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} does not exist: run npm test (it installs Debian's redis-server), apt-get install redis-server, or set REDIS_SERVER`,
    );
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(binary, port);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(stuck);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      };
    } catch (error) {
      lastError = error; // another process took the port between the probe and the start
    }
  }
  throw lastError;
}
