// Copies @milky/internal into every package that lists it in its devDependencies: its modules to
// `src/internal/`, and the command launcher to `bin/launch.js` when the package has commands. The
// copies are built and packed with the package, so that no one installs @milky/internal, and git
// ignores them: the code lives once, in packages/internal. `pnpm install` and each package's
// `generate` task run this.
//
//   node scripts/internal.mjs [package folder ...]     (default: every package that uses it)

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const internal = join(root, 'packages', 'internal', 'src');

/** The folders of the packages that use @milky/internal. */
function users() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'internal')
    .map((entry) => join(root, 'packages', entry.name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && manifest(dir).devDependencies?.['@milky/internal'] !== undefined);
}

function manifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Writes `text` to `path` unless it already holds it (so that watchers and caches see no change). */
function write(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}

const modules = readdirSync(internal).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
const launcher = readFileSync(join(internal, 'launch.js'), 'utf8');
const header = (name) => `// A copy of packages/internal/src/${name}, made by scripts/internal.mjs: edit it there.\n\n`;

const targets = process.argv.length > 2 ? process.argv.slice(2).map((dir) => resolve(dir)) : users();
let written = 0;
for (const dir of targets) {
  const into = join(dir, 'src', 'internal');
  mkdirSync(into, { recursive: true });
  for (const name of readdirSync(into)) if (!modules.includes(name)) rmSync(join(into, name));
  for (const name of modules) {
    if (write(join(into, name), header(name) + readFileSync(join(internal, name), 'utf8'))) written++;
  }
  if (manifest(dir).bin !== undefined && write(join(dir, 'bin', 'launch.js'), header('launch.js') + launcher)) written++;
}
console.log(`internal: ${written} file(s) written into ${targets.map((dir) => relative(root, dir)).join(', ') || 'no package'}`);
