// The commands as npm installs them: `node_modules/.bin/<name>`, a link to the package's launcher.
// The launcher loads the package's build; here the packages run from their sources instead
// (scripts/run-from-src.mjs), so that no build step is needed.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  engines: { node: string };
};

const fromSource = new URL('../../../scripts/run-from-src.mjs', import.meta.url).href;

function run(command: string, args: string[], options: { oldNode?: string } = {}) {
  const preload = [
    '--import',
    fromSource,
    ...(options.oldNode
      ? ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:${JSON.stringify(options.oldNode)}})`]
      : []),
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

const installed = mkdtempSync(join(tmpdir(), 'milky-bin-'));
afterAll(() => rmSync(installed, { recursive: true, force: true }));

describe.each(Object.entries(manifest.bin))('%s', (name, target) => {
  const link = join(installed, name);
  symlinkSync(join(packageRoot, target), link);

  test('run through the link npm makes, it does its work', async () => {
    const { code, out } = await run(link, ['--help']);
    expect(out).toContain(`Usage: ${name}`);
    expect(code).toBe(0);
  });

  test('on a Node.js older than the package needs, it says so', async () => {
    const { code, out, err } = await run(link, ['--help'], { oldNode: '20.19.0' });
    const needed = manifest.engines.node.replace(/^>=\s*/, '');
    expect(err).toBe(`${name} needs Node.js ${needed} or newer; this is Node.js 20.19.0.\n`);
    expect(out).toBe('');
    expect(code).toBe(1);
  });
});
