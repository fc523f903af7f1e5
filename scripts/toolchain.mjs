#!/usr/bin/env node
// Runs the repository's tasks with the toolchain they need, provisioning it first.
//
// This file must run on any Node.js from 18 up with only npm beside it: it is the
// entry point on a fresh machine. It makes sure Node.js 24 and the pinned pnpm are
// on PATH (installing them from the npm registry into .tools/ when they are
// missing), then runs the requested task with that PATH.
//
//   node scripts/toolchain.mjs test     install, check generated code, lint, build, typecheck, test,
//                                       the API reference, then the consumer test (scripts/consumer/run.ts)
//                                       on Node.js 22.13 and 24, Deno and Bun: every step and every
//                                       package's tasks run even after a failure; a summary of what
//                                       really failed ends it, and the exit code says
//   node scripts/toolchain.mjs generate [--check]   install, regenerate @milky/types from spec/
//   node scripts/toolchain.mjs bench [-- --quick]   install, build, install wrk and redis-server, run the benchmarks
//   node scripts/toolchain.mjs start [-- options]   install, build, run the reference server
//   node scripts/toolchain.mjs consumer          install, install redis-server, build, the consumer test only
//   node scripts/toolchain.mjs tarballs [folder]    install, build, pack every public package into folder
//   node scripts/toolchain.mjs exec -- <command...>   run any command with the toolchain on PATH

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOutcomes, failureExcerpt, latestSummary, taskOutcomes } from './turbo-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const toolchain = rootPackage.toolchain;
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, '');
const toolsDir = join(root, '.tools');
const toolsBin = join(toolsDir, 'node_modules', '.bin');

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function run(command, args, env, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Runs a long-lived command, passing Ctrl+C and termination on to it; resolves with its exit code. */
function serve(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
  });
}

function versionOf(command, env) {
  const result = spawnSync(command, ['--version'], { env, encoding: 'utf8' });
  if (result.status !== 0 || result.error) return undefined;
  return result.stdout.trim().replace(/^v/, '');
}

function major(version) {
  return Number.parseInt(String(version).split('.')[0] ?? '', 10);
}

/** Returns an environment whose PATH has Node.js >= the pinned major and the pinned pnpm. */
function ensureToolchain() {
  const env = { ...process.env };
  const withTools = { ...env, PATH: `${toolsBin}${delimiter}${env.PATH ?? ''}` };
  const wantNodeMajor = major(toolchain.node);
  const systemNode = versionOf('node', env);
  const systemPnpm = versionOf('pnpm', env);
  const needNode = !(systemNode && major(systemNode) >= wantNodeMajor);
  const needPnpm = systemPnpm !== pnpmVersion;
  if (!needNode && !needPnpm) return env;

  const toolNode = versionOf(join(toolsBin, 'node'), env);
  const toolPnpm = versionOf(join(toolsBin, 'pnpm'), withTools);
  const haveTools = (!needNode || toolNode === toolchain.node) && (!needPnpm || toolPnpm === pnpmVersion);
  if (!haveTools) {
    const wanted = [`node@${toolchain.node}`, `pnpm@${pnpmVersion}`];
    log(`installing ${wanted.join(' and ')} into .tools/ (system has node ${systemNode ?? 'none'}, pnpm ${systemPnpm ?? 'none'})`);
    mkdirSync(toolsDir, { recursive: true });
    writeFileSync(
      join(toolsDir, 'package.json'),
      `${JSON.stringify({ private: true, description: 'Toolchain provisioned by scripts/toolchain.mjs' }, null, 2)}\n`,
    );
    const status = run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...wanted], env, {
      cwd: toolsDir,
    });
    if (status !== 0) throw new Error(`npm install of ${wanted.join(', ')} failed with exit code ${status}`);
    const installedNode = versionOf(join(toolsBin, 'node'), env);
    if (installedNode !== toolchain.node) {
      throw new Error(`.tools/node reports ${installedNode ?? 'nothing'}; expected ${toolchain.node} (did npm skip its install script?)`);
    }
  }
  return withTools;
}

/**
 * The sandbox page tests drive Debian's Chromium (with CJK and emoji fonts, so that screenshots
 * read); installs it when missing, unless CHROMIUM_PATH names one.
 */
function ensureChromium(env) {
  const wanted = env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(wanted)) return;
  if (env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH is ${wanted}, which does not exist`);
  const packages = ['chromium', 'fonts-wqy-microhei', 'fonts-noto-color-emoji'];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args) =>
    run(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { ...env, DEBIAN_FRONTEND: 'noninteractive' });
  log(`installing ${packages.join(', ')} from Debian for the sandbox page tests`);
  const install = () => apt('install', '-y', '--no-install-recommends', ...packages);
  if (install() !== 0 && (apt('update') !== 0 || install() !== 0)) {
    throw new Error('Chromium could not be installed with apt-get; install it, or set CHROMIUM_PATH to a Chromium binary');
  }
}

/**
 * The oldest Node.js the packages declare (`engines.node` of the root package.json, as x.y.z),
 * installed from the npm registry's `node` package into .tools/node-<version>/ when missing;
 * returns the folder holding its binary.
 */
function ensureMinimumNode(env) {
  const declared = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(rootPackage.engines.node);
  if (!declared) throw new Error(`engines.node is ${JSON.stringify(rootPackage.engines.node)}; expected ">=x.y" or ">=x.y.z"`);
  const version = `${declared[1]}.${declared[2] ?? 0}.${declared[3] ?? 0}`;
  const dir = join(toolsDir, `node-${version}`);
  const bin = join(dir, 'node_modules', '.bin');
  if (versionOf(join(bin, 'node'), env) === version) return bin;
  log(`installing node@${version} into .tools/node-${version}/ (the oldest Node.js the packages support)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, description: 'Node.js for the consumer test' }, null, 2)}\n`);
  const status = run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `node@${version}`], env, {
    cwd: dir,
  });
  if (status !== 0 || versionOf(join(bin, 'node'), env) !== version) throw new Error(`npm install of node@${version} failed`);
  return bin;
}

/**
 * Deno and Bun at the versions of `toolchain` in the root package.json, installed from the npm
 * registry's `deno` and `bun` packages into .tools/runtimes/ when missing; returns `name=file`
 * for each, as the consumer test takes them.
 */
function ensureRuntimes(env) {
  const dir = join(toolsDir, 'runtimes');
  const bin = join(dir, 'node_modules', '.bin');
  const wanted = ['deno', 'bun'].map((name) => ({ name, version: toolchain[name], file: join(bin, name) }));
  const installed = (runtime) => (versionOf(runtime.file, env) ?? '').includes(runtime.version);
  if (!wanted.every(installed)) {
    const specs = wanted.map((runtime) => `${runtime.name}@${runtime.version}`);
    log(`installing ${specs.join(' and ')} into .tools/runtimes/ (for the consumer test)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ private: true, description: 'Runtimes for the consumer test' }, null, 2)}\n`,
    );
    const status = run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs], env, { cwd: dir });
    const missing = wanted.filter((runtime) => !installed(runtime));
    if (status !== 0 || missing.length > 0) throw new Error(`npm install of ${specs.join(', ')} failed`);
  }
  return wanted.map((runtime) => `${runtime.name}=${runtime.file}`);
}

/**
 * The broker's tests, and its README examples in the consumer test, start Debian's redis-server
 * on a free loopback port; installs it when missing, unless REDIS_SERVER names one.
 */
function ensureRedis(env) {
  const wanted = env.REDIS_SERVER || '/usr/bin/redis-server';
  if (existsSync(wanted)) return;
  if (env.REDIS_SERVER) throw new Error(`REDIS_SERVER is ${wanted}, which does not exist`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args) =>
    run(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { ...env, DEBIAN_FRONTEND: 'noninteractive' });
  log('installing redis-server from Debian for the broker tests and examples');
  const install = () => apt('install', '-y', '--no-install-recommends', 'redis-server');
  if (install() !== 0 && (apt('update') !== 0 || install() !== 0)) {
    throw new Error('redis-server could not be installed with apt-get; install it, or set REDIS_SERVER to a redis-server binary');
  }
}

/**
 * The HTTP benchmarks load their servers with Debian's wrk, in a process of its own; installs it
 * when missing.
 */
function ensureWrk(env) {
  if (!spawnSync('wrk', ['--version'], { env }).error) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args) =>
    run(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], { ...env, DEBIAN_FRONTEND: 'noninteractive' });
  log('installing wrk from Debian for the HTTP benchmarks');
  const install = () => apt('install', '-y', '--no-install-recommends', 'wrk');
  if (install() !== 0 && (apt('update') !== 0 || install() !== 0)) {
    throw new Error('wrk could not be installed with apt-get; install it (the HTTP benchmarks load their servers with it)');
  }
}

const benchArgs = process.argv.slice(3).filter((arg) => arg !== '--' && arg !== '--quick');

const taskArgs = process.argv.slice(process.argv[3] === '--' ? 4 : 3);

// Each step: [command, args]. In `test`, a failed step does not stop the next ones (a failed
// install does: nothing else could run); `turbo` runs the packages' tasks, going on past a failure.
const tasks = {
  test: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['node', ['tools/src/cli.ts', '--check']],
    ['pnpm', ['run', 'lint']],
    ['chromium', []],
    ['redis', []],
    ['turbo', ['build', 'typecheck', 'test', 'lint:package']],
    ['pnpm', ['run', 'docs']],
    ['consumer', []],
  ],
  generate: [
    ['pnpm', ['install', '--frozen-lockfile', '--reporter=silent']],
    ['node', ['tools/src/cli.ts', ...taskArgs]],
  ],
  start: [
    ['pnpm', ['install', '--frozen-lockfile', '--reporter=silent']],
    [
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@milky/reference-server...', '--filter=@milky/conformance', '--output-logs=errors-only'],
    ],
    ['serve', ['node', 'packages/reference-server/bin/milky-reference-server.js', ...taskArgs]],
  ],
  consumer: [
    ['pnpm', ['install', '--frozen-lockfile', '--reporter=silent']],
    ['redis', []],
    ['pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']],
    ['consumer', []],
  ],
  tarballs: [
    ['pnpm', ['install', '--frozen-lockfile', '--reporter=silent']],
    ['pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']],
    ['node', ['scripts/tarballs.ts', ...taskArgs]],
  ],
  bench: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['redis', []],
    ['pnpm', ['exec', 'turbo', 'run', 'build']],
    ['wrk', []],
    ['pnpm', ['run', 'bench:run', ...benchArgs]],
  ],
};

/**
 * Runs package tasks with turbo, going on past a failure (tasks whose dependencies failed are
 * skipped); returns what really failed and notes, read from turbo's run summary.
 */
function runTurbo(names, env) {
  const dry = spawnSync('pnpm', ['exec', 'turbo', 'run', ...names, '--dry=json'], { cwd: root, env, encoding: 'utf8' });
  let plan;
  try {
    plan = JSON.parse(dry.stdout);
  } catch {
    plan = undefined;
  }
  const started = Date.now();
  const args = ['exec', 'turbo', 'run', ...names, '--continue=dependencies-successful', '--summarize'];
  log(`$ pnpm ${args.join(' ')}`);
  const status = run('pnpm', args, env);
  const summary = latestSummary(root, started);
  const outcomes = summary ? taskOutcomes(summary, plan) : undefined;
  const { failed, notes } = outcomes ? describeOutcomes(outcomes) : { failed: [], notes: ['turbo wrote no run summary'] };
  if (status !== 0 && failed.length === 0) failed.push(`turbo run ${names.join(' ')} (exit ${status})`);
  // What each failed task said last, so that the end of the output names the failing tests.
  const excerpts = (outcomes?.failed ?? []).flatMap(({ task, log: file }) => {
    if (!file) return [];
    let text;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      return [];
    }
    return [`${task}:`, ...failureExcerpt(text).map((line) => `    ${line}`)];
  });
  return { failed, notes, excerpts };
}

const task = process.argv[2];
try {
  const env = { ...ensureToolchain(), TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
  // `npm run bench -- --quick`: short rounds, for development; the figures are too noisy to quote.
  if (task === 'bench' && process.argv.includes('--quick')) env.BENCH_QUICK = '1';
  if (task === 'exec') {
    const argv = process.argv.slice(process.argv[3] === '--' ? 4 : 3);
    if (argv.length === 0) throw new Error('exec needs a command');
    process.exit(run(argv[0], argv.slice(1), env));
  }
  const steps = tasks[task];
  if (!steps) throw new Error(`unknown task ${JSON.stringify(task)}; expected one of: ${[...Object.keys(tasks), 'exec'].join(', ')}`);
  log(`node ${versionOf('node', env)}, pnpm ${versionOf('pnpm', env)}`);
  const failures = [];
  const notes = [];
  const excerpts = [];
  for (const [command, args] of steps) {
    if (command === 'consumer') {
      // The packages installed from their tarballs outside the repository, on the oldest supported Node.js and this one.
      const nodes = [
        ensureMinimumNode(env),
        dirname(spawnSync('node', ['-p', 'process.execPath'], { env, encoding: 'utf8' }).stdout.trim()),
      ];
      const runtimes = ensureRuntimes(env).flatMap((runtime) => ['--runtime', runtime]);
      const consumerArgs = ['scripts/consumer/run.ts', ...nodes.flatMap((bin) => ['--node', bin]), ...runtimes];
      log(`$ node ${consumerArgs.join(' ')}`);
      const status = run('node', consumerArgs, env);
      if (status === 0) continue;
      if (task !== 'test') process.exit(status);
      failures.push(`the consumer test (exit ${status})`);
      continue;
    }
    if (command === 'wrk') {
      ensureWrk(env);
      continue;
    }
    if (command === 'serve') {
      process.exitCode = await serve(args[0], args.slice(1), env);
      break;
    }
    if (command === 'chromium') {
      try {
        ensureChromium(env);
      } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        failures.push('installing Chromium (the sandbox page tests need it)');
      }
      continue;
    }
    if (command === 'redis') {
      try {
        ensureRedis(env);
      } catch (error) {
        log(error instanceof Error ? error.message : String(error));
        if (task !== 'test') process.exit(1);
        failures.push('installing redis-server (the broker tests and examples need it)');
      }
      continue;
    }
    if (command === 'turbo') {
      const outcome = runTurbo(args, env);
      failures.push(...outcome.failed);
      notes.push(...outcome.notes);
      excerpts.push(...outcome.excerpts);
      continue;
    }
    log(`$ ${command} ${args.join(' ')}`);
    const status = run(command, args, env);
    if (status === 0) continue;
    if (task !== 'test' || args[0] === 'install') process.exit(status);
    failures.push(`${command} ${args.join(' ')} (exit ${status})`);
  }
  if (task === 'test') {
    log(failures.length === 0 ? 'summary: everything passed' : `summary: ${failures.length} failed`);
    for (const failure of failures) log(`  ✗ ${failure}`);
    for (const note of notes) log(`  · ${note}`);
    for (const line of excerpts) log(`  ${line}`);
    if (failures.length > 0) process.exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
