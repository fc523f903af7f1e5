// What an app's bundler keeps of @milky/client for the browser: no Node.js module ever, and none
// of the protocol's schemas or the validator compiler when the app does not validate anything.

import { join } from 'node:path';
import { expect, test } from 'vitest';
import { bundleSource } from '../../../scripts/browser-bundle.ts';

const packageDir = join(import.meta.dirname, '..');
const validation = /packages\/types\/src\/generated\/|packages\/types\/src\/validation\/|@sinclair\/typebox\/build\/esm\/compiler\//;

test('the browser build imports nothing from Node.js: not ws, not node:, not the WebHook receiver', async () => {
  const bundle = await bundleSource(packageDir, 'everything', `export * from '@milky/client';`);
  expect(bundle.external).toEqual([]);
  expect(bundle.modules.filter((id) => /node:|\/ws\/|websocket-ws|platform\/node|webhook\.ts/.test(id))).toEqual([]);
  expect(bundle.modules.some((id) => id.endsWith('platform/web.ts'))).toBe(true);
});

test.each([
  ['segment builders', `import { segment, toUri } from '@milky/client';\nconsole.log(segment.text('hi'), toUri(new Uint8Array(1)));`],
  ['errors', `import { MilkyApiError, MilkyHttpError } from '@milky/client';\nconsole.log(new MilkyHttpError(500, ''), MilkyApiError);`],
])('an app that uses only the %s gets no schema and no validator', async (name, source) => {
  const bundle = await bundleSource(packageDir, name, source);
  expect(bundle.modules.filter((id) => validation.test(id))).toEqual([]);
});
