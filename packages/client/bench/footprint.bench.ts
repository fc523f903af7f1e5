// pnpm bench: what the packages cost their users before any work is done. Browser bundles of
// typical apps (minified by rolldown, whose output is measured, then gzipped at level 9), and the
// import time of each package under Node.js, each beside the protocol authors' zod types
// (@saltify/milky-types, a dev dependency of this benchmark only). Run after a build: the import
// times load the packages' dist/.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleSource } from '../../../scripts/browser-bundle.ts';
import { publicPackages } from '../../../scripts/tarballs.ts';

const packageDir = join(import.meta.dirname, '..');
const zodTypes = 'zod schemas (@saltify/milky-types)';

/** Apps, by what they import; the bundle keeps only what they use. */
const apps: readonly { readonly name: string; readonly source: string }[] = [
  {
    name: `${zodTypes}: Event.safeParse`,
    source: `import { Event } from '@saltify/milky-types';\nconsole.log(Event.safeParse(JSON.parse('{}')));`,
  },
  {
    name: "@milky/types: one API's validator",
    source: `import { GetUserProfileOutput, validator } from '@milky/types';\nconsole.log(validator(GetUserProfileOutput).check(JSON.parse('{}')));`,
  },
  {
    name: "@milky/types: every API's validators",
    source: `import { apis, apiValidators } from '@milky/types';\nfor (const name of Object.keys(apis)) console.log(apiValidators(name).output.check(JSON.parse('{}')));`,
  },
  {
    name: '@milky/types: eventValidator().check',
    source: `import { eventValidator } from '@milky/types';\nconsole.log(eventValidator('lenient').check(JSON.parse('{}')));`,
  },
  {
    name: '@milky/client: an echo bot',
    source: [
      `import { MilkyClient, segment } from '@milky/client';`,
      `const client = new MilkyClient({ baseUrl: location.origin });`,
      `client.on('message_receive', (event) => client.reply(event, [segment.text('hi')]));`,
      `await client.connect();`,
    ].join('\n'),
  },
  { name: '@milky/client: everything it exports', source: `export * from '@milky/client';` },
  { name: '@milky/client: segment builders only', source: `import { segment } from '@milky/client';\nconsole.log(segment.text('hi'));` },
];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

console.log('\nBrowser bundles (rolldown, browser condition, minified; gzip -9)');
const bundles = [];
for (const app of apps) {
  const bundle = await bundleSource(packageDir, app.name, app.source);
  if (bundle.external.length > 0) throw new Error(`${app.name}: the bundle still imports ${bundle.external.join(', ')}`);
  bundles.push({ ...app, minified: bundle.code.length, gzip: bundle.gzip });
}
const base = bundles[0];
if (!base) throw new Error('no baseline bundle');
const width = Math.max(...bundles.map((bundle) => bundle.name.length));
for (const bundle of bundles) {
  const ratio = bundle === base ? '(baseline)' : `${(bundle.gzip / base.gzip).toFixed(2)}× gzip`;
  console.log(`  ${bundle.name.padEnd(width)}  ${kb(bundle.minified).padStart(10)}  ${kb(bundle.gzip).padStart(10)} gzip  ${ratio}`);
}

/** Milliseconds from the start of `import()` to its end, in a fresh Node.js, for one module URL. */
function importTime(url: string): number {
  const script = `const start = performance.now(); await import(${JSON.stringify(url)}); process.stdout.write(String(performance.now() - start));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`importing ${url} failed:\n${result.stderr}`);
  return Number(result.stdout);
}

const modules = [
  { name: zodTypes, url: import.meta.resolve('@saltify/milky-types') },
  ...publicPackages().map((pkg) => ({ name: pkg.name, url: pathToFileURL(join(pkg.dir, 'dist', 'index.js')).href })),
];
const samples = Number(process.env.BENCH_ROUNDS ?? 7);
const times = modules.map(() => [] as number[]);
importTime(modules[0]?.url ?? '');
for (let round = 0; round < samples; round++) for (const [index, module] of modules.entries()) times[index]?.push(importTime(module.url));
const medians = times.map((list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0);
console.log(`\nImport time under Node.js ${process.version} (median of ${samples} fresh processes; includes what each package imports)`);
const nameWidth = Math.max(...modules.map((module) => module.name.length));
for (const [index, module] of modules.entries()) {
  const median = medians[index] ?? 0;
  const ratio = index === 0 ? '(baseline)' : `${(median / (medians[0] ?? 1)).toFixed(2)}×`;
  console.log(`  ${module.name.padEnd(nameWidth)}  ${`${median.toFixed(1)} ms`.padStart(9)}  ${ratio}`);
}
