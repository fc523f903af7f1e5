// Writes dist/sandbox-client.js, the browser build of @milky/client the sandbox page loads, before the tests.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForBrowser } from '../../../scripts/browser-bundle.ts';

export default async function setup(): Promise<void> {
  const dist = join(import.meta.dirname, '..', 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'sandbox-client.js'), (await bundleForBrowser({ minify: true })).code);
}
