import { readdir, readFile } from 'node:fs/promises';
import { type ApiName, apis, events } from '@milky/types';
import { expect, test } from 'vitest';
import { start } from './helpers.ts';

const names = Object.keys(apis) as ApiName[];

test('every API of the protocol has a handler', async () => {
  await using t = await start();
  const implemented = new Set<string>(t.server.milky.implementedApis);
  expect(
    names.filter((name) => !implemented.has(name)),
    'APIs without a handler',
  ).toEqual([]);
  expect(t.server.milky.implementedApis).toEqual(names);
});

test('every API is called through @milky/client in these tests, and every event type is checked', async () => {
  const dir = new URL('.', import.meta.url);
  const files = (await readdir(dir)).filter((file) => file.endsWith('.test.ts') && file !== 'coverage.test.ts');
  const sources = (await Promise.all(files.map((file) => readFile(new URL(file, dir), 'utf8')))).join('\n');
  expect(
    names.filter((name) => !sources.includes(`client.api.${name}(`)),
    'APIs no test calls',
  ).toEqual([]);
  expect(
    Object.keys(events).filter((type) => !sources.includes(`'${type}'`)),
    'event types no test checks',
  ).toEqual([]);
});
