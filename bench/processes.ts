// Where the processes of a benchmark run and what CPU they use. Each server under test and each
// load generator runs in a process of its own; when the machine has two cores or more and
// `taskset` is there, servers are pinned to one core and load generators (with the orchestrating
// process) to another, so that neither can take CPU from the other.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type Role = 'server' | 'generator';

interface Placement {
  readonly pinned: boolean;
  /** What the figures can be trusted for, printed with them. */
  readonly note: string;
  readonly cores: Readonly<Record<Role, string | undefined>>;
}

/** The CPUs this process may run on, from `/proc/self/status` (`0-3,6` → [0, 1, 2, 3, 6]). */
function allowedCpus(): number[] {
  const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  return line.split(',').flatMap((range) => {
    const [from, to] = range.split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) return [];
    return Array.from({ length: (to ?? from) - from + 1 }, (_, index) => from + index);
  });
}

function decide(): Placement {
  const cpus = allowedCpus();
  const none = { server: undefined, generator: undefined };
  if (cpus.length < 2) return { pinned: false, note: `NOT pinned: only ${cpus.length} core available`, cores: none };
  if (spawnSync('taskset', ['--version']).status !== 0) {
    return { pinned: false, note: 'NOT pinned: taskset (util-linux) not found', cores: none };
  }
  const server = String(cpus[0]);
  const generator = String(cpus[1]);
  const shared = cpus.length === 2 ? '; the machine has 2 cores, so other work on it shows in the figures' : '';
  return {
    pinned: true,
    note: `servers pinned to core ${server}, load generators to core ${generator}${shared}`,
    cores: { server, generator },
  };
}

export const placement: Placement = decide();

/** Pins the orchestrating process (and its threads) beside the load generators: it only waits while they run. */
export function pinSelf(): void {
  const core = placement.cores.generator;
  if (core !== undefined) spawnSync('taskset', ['-a', '-p', '-c', core, String(process.pid)], { stdio: 'ignore' });
}

/** Spawns `command` on the cores of `role`; its output is piped unless it has an IPC channel and `pipe` is false. */
export function spawnOn(role: Role, command: string, args: readonly string[], ipc = false, pipe = !ipc): ChildProcess {
  const stdio = [...(['ignore', pipe ? 'pipe' : 'inherit', 'inherit'] as const), ...(ipc ? (['ipc'] as const) : [])];
  const core = placement.cores[role];
  if (core === undefined) return spawn(command, args, { stdio: [...stdio] });
  return spawn('taskset', ['-c', core, command, ...args], { stdio: [...stdio] });
}

/**
 * Starts a Node.js script (a server under test, or a receiving side) on the cores of `role`, with
 * an IPC channel; its standard output is piped when `pipe` is set (to read what `nodeOptions` such
 * as `--trace-gc-nvp` make the runtime print).
 */
export function startScript(
  role: Role,
  script: URL,
  args: readonly string[] = [],
  nodeOptions: readonly string[] = [],
  pipe = false,
): ChildProcess {
  const child = spawnOn(role, process.execPath, [...process.execArgv, ...nodeOptions, script.pathname, ...args], true, pipe);
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null) console.error(`${script.pathname} ${args.join(' ')} exited with code ${code}`);
    if (signal && signal !== 'SIGTERM') console.error(`${script.pathname} ${args.join(' ')} ended by ${signal}`);
  });
  return child;
}

/** Sends `message` to a child and waits for its answer of type `reply`. */
export async function ask<T extends object>(child: ChildProcess, message: object, reply: string): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => {
    const listener = (m: { type?: string }) => {
      if (m.type !== reply) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(m as T);
    };
    const exited = () => reject(new Error(`the child exited while ${reply} was awaited`));
    child.on('message', listener);
    child.once('exit', exited);
  });
  child.send(message);
  return answer;
}

/** Waits for a child's next message of type `type` (a listener, so that messages emitted together are all seen). */
export function first<T extends object>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (m: { type?: string }) => {
      if (m.type !== type) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(m as T);
    };
    const exited = () => reject(new Error(`the child exited while ${type} was awaited`));
    child.on('message', listener);
    child.once('exit', exited);
  });
}

/** The text of `/proc/<pid>/<name>`; undefined without a pid, once the process is gone, or off Linux. */
function procFile(pid: number | undefined, name: string): string | undefined {
  if (pid === undefined) return undefined;
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`: 100 on Linux). */
const ticksPerSecond = 100;

/** User plus system CPU seconds a process has used so far, from `/proc/<pid>/stat`; undefined once it is gone. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  const stat = procFile(pid, 'stat');
  if (stat === undefined) return undefined;
  // Fields after the command name (which may hold spaces) start with the state, field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Measures the share of one core that a process uses from now until `stop()`. */
export function cpuMeter(pid: number | undefined): { stop(): number } {
  const cpu = cpuSeconds(pid) ?? 0;
  const started = performance.now();
  return {
    stop: () => ((cpuSeconds(pid) ?? cpu) - cpu) / ((performance.now() - started) / 1000),
  };
}

/**
 * Follows the CPU of a process that ends by itself (a load generator): samples it until it exits,
 * and returns the share of one core it used over the time it was sampled.
 */
export function followCpu(pid: number | undefined, every = 50): { done(): number } {
  const started = performance.now();
  const initial = cpuSeconds(pid) ?? 0;
  let last = { cpu: initial, at: started };
  const timer = setInterval(() => {
    const cpu = cpuSeconds(pid);
    if (cpu !== undefined) last = { cpu, at: performance.now() };
  }, every);
  return {
    done() {
      clearInterval(timer);
      return last.at > started ? (last.cpu - initial) / ((last.at - started) / 1000) : 0;
    },
  };
}

/** Read and write system calls a process has made so far and their bytes, from `/proc/<pid>/io`; undefined once it is gone. */
export interface IoCounters {
  readonly reads: number;
  readonly readBytes: number;
  readonly writes: number;
  readonly writtenBytes: number;
}

function ioCounters(pid: number | undefined): IoCounters | undefined {
  const text = procFile(pid, 'io');
  if (text === undefined) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { reads: field('syscr'), readBytes: field('rchar'), writes: field('syscw'), writtenBytes: field('wchar') };
}

/** Counts a process's read and write system calls (sockets and pipes alike) and their bytes from now until `stop()`. */
export function ioMeter(pid: number | undefined): { stop(): IoCounters | undefined } {
  const before = ioCounters(pid);
  return {
    stop() {
      const after = ioCounters(pid);
      if (!before || !after) return undefined;
      return {
        reads: after.reads - before.reads,
        readBytes: after.readBytes - before.readBytes,
        writes: after.writes - before.writes,
        writtenBytes: after.writtenBytes - before.writtenBytes,
      };
    },
  };
}

/** The CPU time (µs, all threads) a child that answers `cpu` messages has used so far: finer than `/proc`'s ticks. */
export async function askCpu(child: ChildProcess): Promise<number> {
  return (await ask<{ microseconds: number }>(child, { type: 'cpu' }, 'cpu')).microseconds;
}
