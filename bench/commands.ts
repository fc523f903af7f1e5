// How long a command a person types takes to answer `--help`: from spawn to its first output and
// to its exit, beside `node -e 0` (the runtime's own start-up), taking turns round by round, each
// on the servers' core. A command's own time is its median less that of `node -e 0`; so is its own
// CPU time (user and system, as the process itself counts it at exit), the steadier figure when
// other work shares the machine.

import { once } from 'node:events';
import { median, setting, verdict } from './harness.ts';
import { placement, spawnOn } from './processes.ts';

interface Timing {
  /** Milliseconds from spawn to the first byte of output. */
  readonly firstOutput: number;
  /** Milliseconds from spawn to exit. */
  readonly exit: number;
  /** Milliseconds of CPU (user and system) the process used, by its own count at exit. */
  readonly cpu: number;
}

/** Preloaded into each timed process: writes the CPU it used, in µs, as its last line of output. */
const cpuAtExit = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stdout.write('\\ncpu-us '+(u.user+u.system)+'\\n')})`;

async function time(args: readonly string[]): Promise<Timing> {
  const started = performance.now();
  const child = spawnOn('server', process.execPath, ['--import', cpuAtExit, ...args]);
  let firstOutput = Number.NaN;
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    // The line the preload writes at exit is no answer of the command's.
    if (Number.isNaN(firstOutput) && !chunk.startsWith('\ncpu-us ')) firstOutput = performance.now() - started;
    output += chunk;
  });
  const ended = once(child.stdout as NodeJS.ReadableStream, 'end');
  const [code] = (await once(child, 'exit')) as [number | null];
  const exit = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with code ${code}`);
  await ended;
  const cpu = Number(/\ncpu-us (\d+)\n$/.exec(output)?.[1] ?? Number.NaN) / 1000;
  return { firstOutput: Number.isNaN(firstOutput) ? exit : firstOutput, exit, cpu };
}

/** Times `--help` of each command (a script run by node), against `node -e 0`, and prints each with the 150 ms target. */
export async function helpTimes(commands: ReadonlyArray<{ readonly name: string; readonly script: string }>): Promise<void> {
  const rounds = setting('ROUNDS', 20, 5);
  const kinds = [{ name: 'node -e 0', args: ['-e', '0'] }, ...commands.map(({ name, script }) => ({ name, args: [script, '--help'] }))];
  const timings = kinds.map(() => [] as Timing[]);
  for (const kind of kinds) await time(kind.args);
  for (let round = 0; round < rounds; round++) {
    for (const [index, kind] of kinds.entries()) timings[index]?.push(await time(kind.args));
  }
  console.log(`\n--help, ${rounds} rounds, taking turns (${placement.note}):`);
  const base = median((timings[0] ?? []).map((timing) => timing.exit));
  const baseCpu = median((timings[0] ?? []).map((timing) => timing.cpu));
  const width = Math.max(...kinds.map(({ name }) => name.length));
  for (const [index, { name }] of kinds.entries()) {
    const first = median((timings[index] ?? []).map((timing) => timing.firstOutput));
    const exit = median((timings[index] ?? []).map((timing) => timing.exit));
    const cpu = median((timings[index] ?? []).map((timing) => timing.cpu));
    console.log(
      `  ${name.padEnd(width)}  first output ${first.toFixed(0).padStart(4)} ms, exit ${exit.toFixed(0).padStart(4)} ms, CPU ${cpu.toFixed(0).padStart(4)} ms${index === 0 ? '' : `; own time ${(exit - base).toFixed(0)} ms, own CPU ${(cpu - baseCpu).toFixed(0)} ms`}`,
    );
  }
  for (const [index, { name }] of kinds.entries()) {
    if (index === 0) continue;
    const own = median((timings[index] ?? []).map((timing) => timing.exit)) - base;
    verdict(`${name} --help, own time (beyond node -e 0)`, `${own.toFixed(0)} ms`, own < 150, '< 150 ms');
  }
}
