#!/usr/bin/env node
// pnpm generate            regenerate @milky/types from spec/
// pnpm generate --check    fail, listing the files, when regenerating would change anything

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPaths, emitAll, loadModel } from './index.ts';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    out: { type: 'string', default: defaultPaths.output },
  },
});

try {
  const started = performance.now();
  const files = emitAll(loadModel());
  const stale: string[] = [];
  for (const file of files) {
    const path = join(values.out, file.path);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === file.content) continue;
    stale.push(relative(process.cwd(), path));
    if (!values.check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
  }
  const elapsed = Math.round(performance.now() - started);
  if (values.check && stale.length > 0) {
    console.error(`generated files are out of date with spec/ (run \`pnpm generate\` and commit the result):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  const verb = values.check ? 'up to date' : stale.length > 0 ? `wrote ${stale.length} of ${files.length} files` : 'nothing changed';
  console.log(`milky-generate: ${verb} (${files.length} files, ${elapsed} ms)`);
} catch (error) {
  console.error(`milky-generate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
