// Starts a command of a package once Node.js is recent enough for it. Plain JavaScript that any
// maintained Node.js parses, and nothing else is loaded before the check, so that an older Node.js
// says what is needed instead of failing on syntax or APIs it does not have. A package with
// commands gets it as `bin/launch.js` (scripts/internal.mjs), so `../package.json` is its own.

import { readFileSync } from 'node:fs';

/** Checks the running Node.js against the package's `engines.node`, then runs `main()` of `entry`. */
export async function launch(name, entry) {
  const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const [needMajor = 0, needMinor = 0] = (engines.node.match(/\d+/g) ?? []).map(Number);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    process.stderr.write(`${name} needs Node.js ${needMajor}.${needMinor} or newer; this is Node.js ${process.versions.node}.\n`);
    process.exitCode = 1;
    return;
  }
  try {
    const { main } = await import(entry);
    await main();
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
