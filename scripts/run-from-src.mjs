// `node --import ./scripts/run-from-src.mjs <file>` runs the workspace's packages from their
// sources: an import of a package's `dist/<path>.js` loads `src/<path>.ts` instead whenever that
// source exists. Tests of the installed commands use it, so that they need no build step and never
// see a `dist/` that is stale or that a concurrent build is writing.

import { existsSync, realpathSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = /\/dist\/(.+)\.js$/;

registerHooks({
  resolve(specifier, context, next) {
    let url;
    try {
      url = next(specifier, context).url;
    } catch (error) {
      url = String(error?.url ?? '');
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !built.test(url)) throw error;
    }
    if (url.startsWith('file:') && built.test(url)) {
      const source = fileURLToPath(url.replace(built, '/src/$1.ts'));
      if (existsSync(source)) return { url: pathToFileURL(realpathSync(source)).href, format: 'module-typescript', shortCircuit: true };
    }
    return next(specifier, context);
  },
});
