#!/usr/bin/env node
// Runs the repository's tasks with the toolchain they need, provisioning it first.
//
// This file must run on any Node.js from 18 up with only npm beside it: it is the
// entry point on a fresh machine. It makes sure Node.js 24 and the pinned pnpm are
// on PATH (installing them from the npm registry into .tools/ when they are
// missing), then runs the requested task with that PATH.
//
//   node scripts/toolchain.mjs test     install, check generated code, lint, build, typecheck, test:
//                                       every step and every package's tasks run even after a failure;
//                                       a summary of what really failed ends it, and the exit code says
//   node scripts/toolchain.mjs generate [--check]   install, regenerate @milky/types from spec/
//   node scripts/toolchain.mjs bench    install, build, run the benchmarks
//   node scripts/toolchain.mjs start [-- options]   install, build, run the reference server
//   node scripts/toolchain.mjs exec -- <command...>   run any command with the toolchain on PATH

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeOutcomes, latestSummary, taskOutcomes } from './turbo-summary.mjs';

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

const taskArgs = process.argv.slice(process.argv[3] === '--' ? 4 : 3);

// Each step: [command, args]. In `test`, a failed step does not stop the next ones (a failed
// install does: nothing else could run); `turbo` runs the packages' tasks, going on past a failure.
const tasks = {
  test: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['node', ['tools/src/cli.ts', '--check']],
    ['pnpm', ['run', 'lint']],
    ['chromium', []],
    ['turbo', ['build', 'typecheck', 'test', 'lint:package']],
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
    ['serve', ['node', 'packages/reference-server/dist/cli.js', ...taskArgs]],
  ],
  bench: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['pnpm', ['exec', 'turbo', 'run', 'build']],
    ['pnpm', ['run', 'bench:run', ...process.argv.slice(3)]],
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
  const { failed, notes } = summary ? describeOutcomes(taskOutcomes(summary, plan)) : { failed: [], notes: ['turbo wrote no run summary'] };
  if (status !== 0 && failed.length === 0) failed.push(`turbo run ${names.join(' ')} (exit ${status})`);
  return { failed, notes };
}

const task = process.argv[2];
try {
  const env = { ...ensureToolchain(), TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
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
  for (const [command, args] of steps) {
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
    if (command === 'turbo') {
      const outcome = runTurbo(args, env);
      failures.push(...outcome.failed);
      notes.push(...outcome.notes);
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
    if (failures.length > 0) process.exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
