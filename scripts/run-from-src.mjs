// `node --import ./scripts/run-from-src.mjs <file>` runs the workspace's packages from their
// sources: an import of a package's `dist/<path>.js` that is not built yet loads `src/<path>.ts`
// instead. Tests of the installed commands use it, so that they need no build step.

import { realpathSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      const missing = String(error?.url ?? '');
      const source = missing.replace(/\/dist\/(.+)\.js$/, '/src/$1.ts');
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || source === missing) throw error;
      return { url: pathToFileURL(realpathSync(fileURLToPath(source))).href, format: 'module-typescript', shortCircuit: true };
    }
  },
});
