// The @milky/broker README's gateway and worker, run for real: on a loopback redis-server (the
// broker tests' own, scripts/redis-server.ts) and two installed reference servers, the main one
// in the demo world and a spare one whose bot sits in the same group. The examples start in the
// README's order, each printing a line once started; then Alice says ping in group 20001 of the
// main side, each example must print what its comments say, and each must exit 0 on SIGTERM.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningRedis, startRedis } from '../redis-server.ts';
import type { Example } from './examples.ts';
import { aliceSays, literally, referenceServer, type Watched } from './processes.ts';
import { fail, pass } from './report.ts';

/** What running the broker's examples needs from the consumer test. */
export interface BrokerRun {
  /** The project the packages are installed in. */
  readonly project: string;
  /** The runtime, as the report names it. */
  readonly version: string;
  /** A child's environment, with `extra` variables. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Starts an example with `env`. */
  start(example: Example, env: NodeJS.ProcessEnv): Watched;
}

/** The spare side's world: its own bot, in group 20001 with Alice as in the demo world. */
const spareSeed = {
  self: { user_id: 10010, nickname: 'Spare Bot' },
  users: [{ user_id: 10002, nickname: 'Alice' }],
  groups: [{ group_id: 20001, name: 'Milky 开发者', members: [{ user_id: 10002, role: 'owner' }, { user_id: 10010 }] }],
};

/** How long an example may take to stop on SIGTERM. */
const stopWithin = 30_000;

export async function runBrokerExamples(examples: readonly Example[], run: BrokerRun): Promise<void> {
  if (examples.length === 0) return;
  const { project, version } = run;
  let redis: RunningRedis;
  try {
    redis = await startRedis();
  } catch (error) {
    fail(`the @milky/broker examples (${version}) need a loopback redis-server, which did not start: ${(error as Error).message}`);
    return;
  }
  const token = `consumer-${process.pid}`;
  const controlToken = `consumer-control-${process.pid}`;
  const seed = join(project, 'spare-seed.json');
  writeFileSync(seed, JSON.stringify(spareSeed));
  const sides: Watched[] = [];
  const started: { example: Example; process: Watched }[] = [];
  const side = async (world: string) => {
    const args = ['--memory', '--port', '0', '--token', token, '--control-token', controlToken, '--seed', world];
    const { server, url } = await referenceServer(project, args, run.env());
    sides.push(server);
    return url;
  };
  try {
    const main = await side('demo');
    const spare = await side(seed);
    const env = run.env({ REDIS_URL: redis.url, MAIN_URL: main, MAIN_TOKEN: token, SPARE_URL: spare, SPARE_TOKEN: token });
    for (const example of examples) {
      const running = run.start(example, env);
      started.push({ example, process: running });
      const [line] = await running.line(/^.+$/m).catch((error: Error) => {
        throw new Error(`${example.name} did not start: ${error.message}\n        ${running.tail()}`);
      });
      pass(`${example.name} (${version}) is up: ${line}`);
    }
    await aliceSays(project, main, controlToken, 'ping', run.env());
    for (const { example, process: running } of started) {
      for (const expected of example.prints)
        await running.line(literally(expected.text)).catch((error: Error) => {
          throw new Error(`${example.name}, after Alice said ping: ${error.message}\n        ${running.tail()}`);
        });
      pass(`${example.name} (${version}) printed ${example.prints.length} expected lines once Alice said ping`);
    }
  } catch (error) {
    fail(`the @milky/broker examples (${version}): ${(error as Error).message}`);
  } finally {
    // The workers before the gateway, as an operator would stop them.
    for (const { example, process: running } of started.toReversed()) {
      const ended = !running.running;
      const code = await running.stop(stopWithin);
      if (ended) fail(`${example.name} (${version}) ended (exit ${code}) before it was stopped\n        ${running.tail()}`);
      else if (code === 0) pass(`${example.name} (${version}) stopped on SIGTERM`);
      else
        fail(
          `${example.name} (${version}) on SIGTERM: ${code === -1 ? `still running after ${stopWithin / 1000} s` : `exit ${code}`}\n        ${running.tail()}`,
        );
    }
    await Promise.all(sides.map((server) => server.stop()));
    await redis.stop();
  }
}
