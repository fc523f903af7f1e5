// Shared by the packages' vitest configs: workspace packages resolve to their sources, so a test
// run needs no build step.

import { fileURLToPath } from 'node:url';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const workspaceAliases = [
  { find: /^@milky\/types$/, replacement: source('./packages/types/src/index.ts') },
  { find: /^@milky\/types\/samples$/, replacement: source('./packages/types/src/samples.ts') },
  { find: /^@milky\/webhook$/, replacement: source('./packages/webhook/src/index.ts') },
  { find: /^@milky\/server$/, replacement: source('./packages/server/src/index.ts') },
  { find: /^@milky\/client$/, replacement: source('./packages/client/src/index.ts') },
  { find: /^@milky\/client\/(.*)$/, replacement: source('./packages/client/src/$1.ts') },
];
