// Shared by the packages' vitest configs: workspace packages resolve to their sources, so a test
// run needs no build step.

import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const workspaceAliases = [
  { find: /^@milky\/types$/, replacement: source('./packages/types/src/index.ts') },
  { find: /^@milky\/types\/samples$/, replacement: source('./packages/types/src/samples.ts') },
  { find: /^@milky\/types\/version$/, replacement: source('./packages/types/src/version.ts') },
  { find: /^@milky\/webhook$/, replacement: source('./packages/webhook/src/index.ts') },
  { find: /^@milky\/server$/, replacement: source('./packages/server/src/index.ts') },
  { find: /^@milky\/server\/express$/, replacement: source('./packages/server/src/express.ts') },
  { find: /^@milky\/client$/, replacement: source('./packages/client/src/index.ts') },
  { find: /^@milky\/client\/(.*)$/, replacement: source('./packages/client/src/$1.ts') },
  { find: /^@milky\/reference-server$/, replacement: source('./packages/reference-server/src/index.ts') },
  { find: /^@milky\/reference-server\/testing$/, replacement: source('./packages/reference-server/src/testing.ts') },
  { find: /^@milky\/conformance$/, replacement: source('./packages/conformance/src/index.ts') },
  // @milky/client's own import of what differs by runtime (package.json `imports`), as under Node.js.
  { find: /^#platform$/, replacement: source('./packages/client/src/platform/node.ts') },
];

/** The test config of a package: `test/**\/*.test.ts`, and type tests (`*.test-d.ts`) when it has some. */
export function packageConfig({ typeTests = false, testTimeout = 20_000 } = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: workspaceAliases },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout,
      // Set-up (servers started, worlds seeded) gets the time a test gets: seconds on a busy machine.
      hookTimeout: testTimeout,
      ...(typeTests ? { typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' } } : {}),
    },
  });
}
