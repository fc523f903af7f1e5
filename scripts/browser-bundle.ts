// @milky/client bundled for the browser as an app's bundler would do it (the `browser` condition,
// tree-shaken, one ES module), from the sources; used by the browser tests, the size benchmark,
// and the reference server's build (the sandbox page's client):
//
//   node scripts/browser-bundle.ts <output file>     (minified)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rolldown } from 'rolldown';

const root = join(import.meta.dirname, '..');

export interface BrowserBundle {
  readonly code: string;
  /** Modules of the packages that made it into the bundle, relative to the repository. */
  readonly modules: readonly string[];
  /** Imports left outside the bundle: none when every module could be bundled for the browser. */
  readonly external: readonly string[];
}

/**
 * Bundles `entry` (the client's browser entry by default, or an app's source that imports
 * `@milky/client`) for the browser, resolving the workspace packages to their sources.
 */
export async function bundleForBrowser({ entry, minify = false }: { entry?: string; minify?: boolean } = {}): Promise<BrowserBundle> {
  const bundle = await rolldown({
    input: entry ?? join(root, 'packages', 'client', 'src', 'browser.ts'),
    // An app's own module: the imports alone decide what is kept.
    treeshake: { moduleSideEffects: false },
    platform: 'browser',
    logLevel: 'silent',
    resolve: {
      // `milky-source` maps the client's `#platform` to its sources; `browser` picks the web one.
      conditionNames: ['milky-source', 'browser', 'import', 'default'],
      alias: {
        '@milky/client': join(root, 'packages', 'client', 'src', 'browser.ts'),
        '@milky/types': join(root, 'packages', 'types', 'src', 'index.ts'),
      },
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'esm', minify });
    const [chunk] = output;
    if (chunk?.type !== 'chunk' || output.length !== 1) throw new Error('expected the bundle to be one chunk');
    return {
      code: chunk.code,
      modules: Object.keys(chunk.modules).map((id) => id.replace(`${root}/`, '')),
      external: [...chunk.imports, ...chunk.dynamicImports],
    };
  } finally {
    await bundle.close();
  }
}

/**
 * Bundles an app whose whole source is `source`, written as a module of the package in
 * `packageDir` (so that its dependencies resolve as they would for an app that has them).
 */
export async function bundleSource(packageDir: string, name: string, source: string): Promise<BrowserBundle & { readonly gzip: number }> {
  const dir = join(packageDir, 'node_modules', '.browser-bundles');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, `${name.replace(/[^\w-]+/g, '-')}.ts`);
  writeFileSync(entry, source);
  const bundle = await bundleForBrowser({ entry, minify: true });
  return { ...bundle, gzip: gzipSync(bundle.code, { level: 9 }).length };
}

if (import.meta.main) {
  const output = process.argv[2];
  if (!output) throw new Error('give the file to write the bundle to');
  const { code, external } = await bundleForBrowser({ minify: true });
  if (external.length > 0) throw new Error(`the browser bundle still imports ${external.join(', ')}`);
  mkdirSync(dirname(resolve(output)), { recursive: true });
  writeFileSync(output, code);
}
