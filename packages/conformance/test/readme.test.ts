import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { conformanceHelp } from '../src/cli.ts';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

afterEach(() => {
  vi.restoreAllMocks();
});

test('the README example is examples/check-a-server.ts, and it runs', async () => {
  const example = readFileSync(join(root, 'examples', 'check-a-server.ts'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values);
  });
  await import('../examples/check-a-server.ts');
  expect(printed).toEqual([[true, 0, true]]);
});

test('the README shows the --help text as it is', () => {
  expect(readme).toContain(conformanceHelp);
});
