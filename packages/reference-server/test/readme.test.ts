import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { events } from '@milky/types';
import { afterEach, expect, test, vi } from 'vitest';
import { worldRetcodes } from '../src/index.ts';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

afterEach(() => {
  vi.restoreAllMocks();
});

test('the README example is examples/test-a-bot.ts, and it runs', async () => {
  const example = readFileSync(join(root, 'examples', 'test-a-bot.ts'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values);
  });
  await import('../examples/test-a-bot.ts');
  expect(printed).toEqual([[['reply', 'text']]]);
});

test('the README lists every retcode the world answers with', () => {
  for (const [name, code] of Object.entries(worldRetcodes)) expect(readme, name).toMatch(new RegExp(`\\| ${code} +\\| \`${name}\``));
});

test('the README says when each event type of the protocol is sent', () => {
  const table = readme.slice(readme.indexOf('## Events'), readme.indexOf('## Retcodes'));
  expect(
    Object.keys(events).filter((type) => !table.includes(`\`${type}\``)),
    'event types missing from the README',
  ).toEqual([]);
});

test('the README example of the test kit is examples/test-kit.ts, and it runs', async () => {
  const example = readFileSync(join(root, 'examples', 'test-kit.ts'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values);
  });
  await import('../examples/test-kit.ts');
  expect(printed).toEqual([['pong'], ['no reply from the bot in the friend chat with Alice (10002) containing "never" within 100 ms']]);
});
