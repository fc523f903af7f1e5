#!/usr/bin/env node
// Runs the repository's tasks with the toolchain they need, provisioning it first.
//
// This file must run on any Node.js from 18 up with only npm beside it: it is the
// entry point on a fresh machine. It makes sure Node.js 24 and the pinned pnpm are
// on PATH (installing them from the npm registry into .tools/ when they are
// missing), then runs the requested task with that PATH.
//
//   node scripts/toolchain.mjs test     install, check generated code, lint, build, typecheck, test
//   node scripts/toolchain.mjs bench [-- --quick]   install, build, install wrk, run the benchmarks
//   node scripts/toolchain.mjs start [-- options]   install, build, run the reference server
//   node scripts/toolchain.mjs exec -- <command...>   run any command with the toolchain on PATH

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const tasks = {
  test: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['pnpm', ['run', 'generate', '--check']],
    ['pnpm', ['run', 'lint']],
    ['chromium', []],
    ['pnpm', ['exec', 'turbo', 'run', 'build', 'typecheck', 'test', 'lint:package']],
  ],
  start: [
    ['pnpm', ['install', '--frozen-lockfile', '--reporter=silent']],
    [
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@milky/reference-server...', '--filter=@milky/conformance', '--output-logs=errors-only'],
    ],
    ['serve', ['node', 'packages/reference-server/dist/cli.js', ...process.argv.slice(process.argv[3] === '--' ? 4 : 3)]],
  ],
  bench: [
    ['pnpm', ['install', '--frozen-lockfile']],
    ['pnpm', ['exec', 'turbo', 'run', 'build']],
    ['wrk', []],
    ['pnpm', ['run', 'bench:run', ...benchArgs]],
  ],
};

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
  for (const [command, args] of steps) {
    if (command === 'chromium') {
      ensureChromium(env);
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
    log(`$ ${command} ${args.join(' ')}`);
    const status = run(command, args, env);
    if (status !== 0) process.exit(status);
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
