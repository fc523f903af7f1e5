// Tests of a package's commands as npm installs them: `node_modules/.bin/<name>`, a link to the
// package's launcher in `bin/`. The launcher loads the package's build; here the packages run from
// their sources instead (scripts/run-from-src.mjs), so that no build step is needed. Each package
// with commands calls `describeCommands` from a test file of its own.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const fromSource = new URL('./run-from-src.mjs', import.meta.url).href;

/**
 * Preloaded to list the modules a command loads: at exit it writes their URLs to stderr, one line
 * each, after a line `loaded modules:`.
 */
const listModules = `data:text/javascript,${encodeURIComponent(
  "import{registerHooks}from'node:module';const urls=[];registerHooks({load(url,context,next){urls.push(url);return next(url,context)}});" +
    "process.on('exit',()=>process.stderr.write('\\nloaded modules:\\n'+urls.join('\\n')+'\\n'))",
)}`;

/** Runs `command` with Node.js from the workspace's sources, pretending to be `oldNode` when given. */
function run(command: string, args: string[], options: { oldNode?: string; listModules?: boolean } = {}) {
  const preload = [
    '--import',
    fromSource,
    ...(options.oldNode
      ? ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:${JSON.stringify(options.oldNode)}})`]
      : []),
    ...(options.listModules ? ['--import', listModules] : []),
  ];
  const child = spawn(process.execPath, ['--no-warnings', ...preload, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
}

/** A Node.js older than 22 on this machine (the system's, beside the project's own), if there is one. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
      if (Number(/^v(\d+)/.exec(version)?.[1]) < 22) return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Every command of the package at `packageUrl` (its folder, as a file URL), linked as npm links it:
 * `--help` prints its usage; on a Node.js older than `engines.node` (pretended, and a real one where
 * the machine has it) it says what it needs before loading anything it could not parse.
 */
export function describeCommands(packageUrl: URL): void {
  const packageRoot = fileURLToPath(packageUrl);
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    engines: { node: string };
  };
  const installed = mkdtempSync(join(tmpdir(), 'milky-bin-'));
  afterAll(() => rmSync(installed, { recursive: true, force: true }));
  const older = olderNode();

  describe.each(Object.entries(manifest.bin))('%s', (name, target) => {
    const link = join(installed, name);
    symlinkSync(join(packageRoot, target), link);

    test('run through the link npm makes, it does its work', async () => {
      const { code, out } = await run(link, ['--help']);
      expect(out).toContain(`Usage: ${name}`);
      expect(code).toBe(0);
    });

    // What a person types first answers at once: no schema is built for it (nor TypeBox loaded).
    test.each([['--help'], ['--no-such-option']])('%s loads no TypeBox', async (arg) => {
      const { code, err } = await run(link, [arg], { listModules: true });
      expect(code, err).toBe(arg === '--help' ? 0 : 2);
      const loaded = err.slice(err.lastIndexOf('\nloaded modules:\n')).split('\n').slice(2);
      expect(loaded.length).toBeGreaterThan(1);
      expect(loaded.filter((url) => /[/+]typebox[@/]/.test(url))).toEqual([]);
    });

    test('on a Node.js older than the package needs, it says so', async () => {
      const { code, out, err } = await run(link, ['--help'], { oldNode: '20.19.0' });
      const needed = manifest.engines.node.replace(/^>=\s*/, '');
      expect(err).toBe(`${name} needs Node.js ${needed} or newer; this is Node.js 20.19.0.\n`);
      expect(out).toBe('');
      expect(code).toBe(1);
    });

    test.skipIf(older === undefined)('a real older Node.js gets the same message, before anything it cannot parse is loaded', () => {
      let message = '';
      try {
        execFileSync(older as string, [link, '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        message = String((error as { stderr: string }).stderr);
      }
      expect(message).toMatch(new RegExp(`^${name} needs Node\\.js \\d+\\.\\d+ or newer; this is Node\\.js \\d+`));
    });
  });
}
