// The processes of the consumer test (the reference server, the examples, the commands): their
// output, line by line as it arrives, with bounded waits for a line and for the exit.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The longest any one example or command may take before it counts as hanging. */
export const hangAfter = 120_000;

/** A child's output, line by line as it arrives, with a way to wait for a line. */
export class Watched {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly waiters: (() => void)[] = [];

  constructor(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const waiter of this.waiters) waiter();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    this.exited.then(() => {
      for (const waiter of this.waiters) waiter();
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first stdout line matching `pattern`; rejects when the process ends or hangs first. */
  line(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const hang = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${hangAfter / 1000} s`)), hangAfter);
      const check = () => {
        const found = pattern.exec(this.stdout);
        if (found) {
          clearTimeout(hang);
          resolve(found);
        } else if (!this.running) {
          clearTimeout(hang);
          reject(new Error(`it ended (exit ${this.child.exitCode}) before printing a line matching ${pattern}`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Waits for the exit; a process that has not ended after `within` ms is killed, and -1 returned. */
  async end(within = hangAfter): Promise<number | null> {
    const hang = setTimeout(() => this.child.kill('SIGKILL'), within);
    const code = await this.exited;
    clearTimeout(hang);
    return this.child.signalCode === 'SIGKILL' ? -1 : code;
  }

  /** Sends SIGTERM (when still running) and waits for the exit, as `end` does. */
  async stop(within = hangAfter): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    return this.end(within);
  }

  tail(): string {
    return `${this.stdout}${this.stderr}`.trim().split('\n').slice(-15).join('\n        ');
  }
}

/** `text` matched literally. */
export function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/**
 * The installed milky-reference-server of `project` with `args`, once it prints where its API is;
 * `url` is that base URL. One that does not start is stopped, and the error says what it printed.
 */
export async function referenceServer(project: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ server: Watched; url: string }> {
  const server = new Watched(join(project, 'node_modules', '.bin', 'milky-reference-server'), args, project, env);
  try {
    const [, url = ''] = await server.line(/API\s+(http:\/\/\S+)\/api\/<name>/);
    return { server, url };
  } catch (error) {
    await server.stop();
    throw new Error(`milky-reference-server did not start: ${(error as Error).message}\n${server.tail()}`);
  }
}

/** Alice (10002) says `text` in group 20001 of the reference server at `url`, through the installed milky-sandbox. */
export async function aliceSays(project: string, url: string, controlToken: string, text: string, env: NodeJS.ProcessEnv): Promise<void> {
  const said = new Watched(
    join(project, 'node_modules', '.bin', 'milky-sandbox'),
    ['--url', new URL(url).origin, '--token', controlToken, 'as', '10002', 'say', text, '--group', '20001'],
    project,
    env,
  );
  const code = await said.end();
  if (code !== 0) throw new Error(`milky-sandbox say failed (exit ${code}): ${said.tail()}`);
}
