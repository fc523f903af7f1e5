// The packages as their users get them: packed as published, installed with plain npm into a
// fresh project outside the repository, then, on each Node.js given, every command's --help and
// every README example run, after a type-check of a consumer and the examples under
// `moduleResolution` `nodenext` and `bundler`.
//
//   node scripts/consumer/run.ts --node <bin folder> [--node <bin folder>...] [--runtime deno=<file>] [--runtime bun=<file>]
//
// Under Deno and Bun (`--runtime`), the examples of the packages that promise to run there
// (@milky/client, @milky/types) run too, against the same reference server under Node.js. The
// @milky/broker examples run under Node.js only (its README promises no other runtime), on a
// loopback redis-server and reference servers of their own (broker.ts): without redis-server
// (REDIS_SERVER names another binary), they fail.
//
// The first Node.js installs the packages (with --engine-strict: the declared minimum goes first).
// Run after a build; scripts/toolchain.mjs test provisions the Node.js versions and calls it.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../redis-server.ts';
import { packTarballs } from '../tarballs.ts';
import { runBrokerExamples } from './broker.ts';
import { type Example, examplesOf, missing } from './examples.ts';
import { aliceSays, hangAfter, literally, referenceServer, Watched } from './processes.ts';
import { fail, failures, pass } from './report.ts';

const root = join(import.meta.dirname, '..', '..');

const { values } = parseArgs({
  options: { node: { type: 'string', multiple: true }, runtime: { type: 'string', multiple: true }, keep: { type: 'boolean' } },
});
const nodes = values.node ?? [];
/** The packages whose README examples also run under Deno and Bun. */
const portable = ['@milky/client', '@milky/types'];
/** How each runtime runs a JavaScript file. */
const runtimeArgs: Record<string, (file: string) => string[]> = { deno: (file) => ['run', '--allow-all', file], bun: (file) => [file] };
const runtimes = (values.runtime ?? []).map((entry) => {
  const [name = '', file = ''] = entry.split('=');
  const args = runtimeArgs[name];
  if (!args || !file) throw new Error(`--runtime ${entry}: expected ${Object.keys(runtimeArgs).join(' or ')}=<file>`);
  return { name, file, args };
});
if (nodes.length === 0) throw new Error('give at least one --node <folder holding the node binary>');

function envWith(nodeBin: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The repository's own tools must not leak into the project: only the chosen node and npm.
  const path = (process.env.PATH ?? '').split(delimiter).filter((entry) => !entry.startsWith(root));
  return { ...process.env, PATH: [nodeBin, ...path].join(delimiter), NODE_OPTIONS: '', ...extra };
}

function runSync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: hangAfter * 2 });
  if (result.error) throw result.error;
  return result;
}

function manifestVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = manifest.devDependencies[name];
  if (!version) throw new Error(`the root package.json has no devDependency ${name}`);
  return version;
}

const work = mkdtempSync(join(tmpdir(), 'milky-consumer-'));
const project = join(work, 'app');
try {
  const installer = nodes[0] as string;
  console.log(`[consumer] packing into ${work}`);
  const packed = packTarballs(join(work, 'tarballs'));
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'milky-consumer', private: true, type: 'module' }, null, 2)}\n`);
  const install = runSync(
    'npm',
    [
      'install',
      '--engine-strict',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packed.map(({ tarball }) => tarball),
      `typescript@${manifestVersion('typescript')}`,
      `@types/node@${manifestVersion('@types/node')}`,
    ],
    project,
    envWith(installer),
  );
  if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${install.stderr}${install.stdout}`);
  console.log(`[consumer] installed ${packed.map(({ pkg }) => `${pkg.name}@${pkg.version}`).join(', ')} with npm`);

  // The examples, from the installed READMEs, as files of the project.
  const examples: Example[] = [];
  let fragments = 0;
  for (const { pkg } of packed) {
    const found = examplesOf(basename(pkg.dir), join(project, 'node_modules', pkg.name, 'README.md'));
    examples.push(...found.examples);
    fragments += found.fragments;
  }
  mkdirSync(join(project, 'src'));
  for (const example of examples) writeFileSync(join(project, 'src', `${example.name}.ts`), example.source);
  copyFileSync(join(import.meta.dirname, 'consumer.ts'), join(project, 'src', 'consumer.ts'));

  const compilerOptions = {
    target: 'es2022',
    lib: ['es2023', 'esnext.disposable'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    rootDir: 'src',
    outDir: 'out',
  };
  const configs = {
    nodenext: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext' },
    bundler: { ...compilerOptions, module: 'preserve', moduleResolution: 'bundler', noEmit: true },
  };
  console.log(`[consumer] type-check: src/consumer.ts and ${examples.length} README examples (${fragments} fragments left out)`);
  for (const [resolution, options] of Object.entries(configs)) {
    writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions: options, include: ['src'] }, null, 2));
    const tsc = runSync(join(project, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], project, envWith(installer));
    if (tsc.status === 0) pass(`tsc, moduleResolution ${resolution}`);
    else fail(`tsc, moduleResolution ${resolution}:\n${tsc.stdout}${tsc.stderr}`);
  }

  for (const nodeBin of nodes) {
    const version = runSync(join(nodeBin, 'node'), ['--version'], project, envWith(nodeBin)).stdout.trim();
    console.log(`[consumer] Node.js ${version}`);
    for (const { pkg } of packed) {
      for (const command of Object.keys(pkg.bin)) {
        const help = runSync(join(project, 'node_modules', '.bin', command), ['--help'], project, envWith(nodeBin));
        if (help.status === 0 && help.stdout.startsWith(`${command}: `) && help.stdout.includes('Usage: '))
          pass(`${command} --help (${version})`);
        else
          fail(
            `${command} --help (${version}): exit ${help.status}, printed ${JSON.stringify(`${help.stdout}${help.stderr}`.slice(0, 300))}`,
          );
      }
    }
    const runtime: Runtime = { nodeBin, version, command: (file) => [join(nodeBin, 'node'), file] };
    await runExamples(examples, runtime);
    await runBrokerExamples(
      examples.filter((example) => example.mode === 'on Redis'),
      {
        project,
        version,
        env: (extra) => envWith(nodeBin, extra),
        start: (example, env) => startExample(runtime, example, env),
      },
    );
  }
  const newest = nodes.at(-1) as string;
  for (const runtime of runtimes) {
    const printed = runSync(runtime.file, ['--version'], project, envWith(newest)).stdout;
    const version = `${runtime.name} ${/\d+\.\d+\.\d+/.exec(printed)?.[0] ?? printed.trim()}`;
    console.log(`[consumer] ${version}`);
    const theirs = examples.filter((example) =>
      [...example.source.matchAll(/^import .* from '([^']+)'/gm)].every(([, from]) => portable.includes(from ?? '')),
    );
    await runExamples(theirs, { nodeBin: newest, version, command: (file) => [runtime.file, ...runtime.args(file)] });
  }
} finally {
  if (values.keep) console.log(`[consumer] kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

interface Runtime {
  /** Node.js for the reference server and the commands. */
  readonly nodeBin: string;
  readonly version: string;
  /** The command line that runs a JavaScript file. */
  readonly command: (file: string) => string[];
}

/** An example's compiled file, run by the runtime with `env`. */
function startExample(runtime: Runtime, example: Example, env: NodeJS.ProcessEnv): Watched {
  const [command = '', ...args] = runtime.command(join('out', `${example.name}.js`));
  return new Watched(command, args, project, env);
}

/**
 * Checks that an echo bot answers: a client of the installed @milky/client watches the events
 * (the server reports the bot's own messages), then Alice says `/echo <text>` in a group through
 * the installed milky-sandbox command, and the bot must say the text there.
 */
async function echoes(url: string, token: string, controlToken: string, nodeBin: string, label: string): Promise<void> {
  const { MilkyClient } = (await import(
    pathToFileURL(join(project, 'node_modules', '@milky', 'client', 'dist', 'index.js')).href
  )) as typeof import('@milky/client');
  const watcher = new MilkyClient({ baseUrl: url, accessToken: token, events: { transport: 'sse' } });
  try {
    const { uin } = await watcher.api.get_login_info();
    const text = `from the consumer test on ${label}`;
    const answered = new Promise<void>((resolve, reject) => {
      const hang = setTimeout(() => reject(new Error(`no answer to /echo within ${hangAfter / 1000} s`)), hangAfter);
      watcher.on('message_receive', (event) => {
        const said = event.data.segments.map((part) => (part.type === 'text' ? part.data.text : '')).join('');
        if (event.data.sender_id === uin && event.data.peer_id === 20001 && said === text) {
          clearTimeout(hang);
          resolve();
        }
      });
    });
    await watcher.connect();
    await aliceSays(project, url, controlToken, `/echo ${text}`, envWith(nodeBin));
    await answered;
  } finally {
    await watcher.disconnect();
  }
}

/**
 * The world the examples expect around them: a reference server (the installed command), pushing
 * its events to the WebHook receiver example when there is one (on `WEBHOOK_PORT`), and a WebHook
 * receiver of the test's own on `WEBHOOK_URL`.
 */
async function runExamples(examples: readonly Example[], runtime: Runtime): Promise<void> {
  const { nodeBin, version } = runtime;
  const token = `consumer-${process.pid}`;
  const controlToken = `consumer-control-${process.pid}`;
  const receiverPort = examples.some((example) => example.mode === 'webhook receiver') ? await freePort() : undefined;
  const { server, url } = await referenceServer(
    project,
    [
      ...['--memory', '--port', '0', '--token', token, '--control-token', controlToken, '--report-self-messages'],
      ...(receiverPort === undefined ? [] : ['--webhook', `http://127.0.0.1:${receiverPort}/`]),
    ],
    envWith(nodeBin),
  );
  let pushes = 0;
  const receiver = createServer((request, response) => {
    request.resume().on('end', () => {
      pushes++;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const webhookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/milky`;
  const services: { example: Example; process: Watched }[] = [];
  try {
    // The sandbox page's client, bundled for the browser by the package's build.
    const page = await fetch(`${new URL(url).origin}/sandbox/client.js`);
    const pageClient = await page.text();
    if (page.status === 200 && pageClient.includes('MilkyClient')) pass(`the sandbox page's client is served (${version})`);
    else fail(`the sandbox page's client (${version}): HTTP ${page.status} ${pageClient.slice(0, 200)}`);
    const env = envWith(nodeBin, {
      MILKY_URL: url,
      MILKY_TOKEN: token,
      MILKY_CONTROL_TOKEN: controlToken,
      WEBHOOK_URL: webhookUrl,
      WEBHOOK_PORT: String(receiverPort ?? 0),
      PORT: '0',
    });
    const start = (example: Example) => startExample(runtime, example, env);
    // Receivers first, so that the reference server's pushes reach one from the first event on.
    const serviceModes = ['webhook receiver', 'keeps running', 'echo bot'];
    const serving = serviceModes.flatMap((mode) => examples.filter((candidate) => candidate.mode === mode));
    for (const example of serving) {
      const running = start(example);
      services.push({ example, process: running });
      try {
        const [line] = await running.line(/^.+$/m);
        pass(`${example.name} (${version}) is up: ${line}`);
        if (example.mode === 'echo bot') {
          await echoes(url, token, controlToken, nodeBin, version);
          pass(`${example.name} (${version}) answers /echo`);
        }
      } catch (error) {
        fail(`${example.name} (${version}): ${(error as Error).message}\n        ${running.tail()}`);
      }
    }
    const echoBot = services.some(({ example, process: running }) => example.mode === 'echo bot' && running.running);
    for (const example of examples.filter((candidate) => candidate.mode === 'run' || candidate.mode === 'beside the echo bot')) {
      if (example.mode === 'beside the echo bot' && !echoBot) {
        fail(`${example.name} (${version}) runs beside the echo bot example, which is not running`);
        continue;
      }
      const running = start(example);
      const code = await running.end();
      const absent = missing(example.prints, running.stdout);
      if (code === 0 && absent.length === 0) pass(`${example.name} (${version}) printed ${example.prints.length} expected lines`);
      else
        fail(
          `${example.name} (${version}): ${code === -1 ? `still running after ${hangAfter / 1000} s` : `exit ${code}`}` +
            `${absent.length > 0 ? `; did not print ${absent.map(({ text }) => JSON.stringify(text)).join(', ')}` : ''}\n        ${running.tail()}`,
        );
    }
    for (const { example, process: running } of services.filter((service) => service.example.mode === 'webhook receiver')) {
      try {
        for (const expected of example.prints) await running.line(literally(expected.text));
        pass(`${example.name} (${version}) received the reference server's pushes: printed ${example.prints.length} expected lines`);
      } catch (error) {
        fail(`${example.name} (${version}): ${(error as Error).message}\n        ${running.tail()}`);
      }
    }
    for (const { example, process: running } of services) {
      if (running.running) pass(`${example.name} (${version}) was still running at the end`);
      else
        fail(
          `${example.name} (${version}) ended (exit ${running.child.exitCode}) before the other examples did\n        ${running.tail()}`,
        );
    }
    if (examples.some((example) => example.source.includes('WEBHOOK_URL')) && pushes === 0)
      fail(`(${version}) the WebHook example delivered nothing to WEBHOOK_URL`);
  } finally {
    await Promise.all(services.map(({ process: running }) => running.stop()));
    await server.stop();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

if (failures.length > 0) {
  console.log(`[consumer] ${failures.length} failed`);
  process.exit(1);
}
console.log('[consumer] all passed');
