import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';

const root = join(import.meta.dirname, '..');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

test('the README example is examples/serve.ts, and it runs', async () => {
  const example = readFileSync(join(root, 'examples', 'serve.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  vi.stubEnv('PORT', '0');
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values);
  });
  await import('../examples/serve.ts');
  expect(printed).toHaveLength(1);
  expect(String(printed[0]?.[0])).toMatch(/^listening on \d+$/);
  expect(printed[0]?.[1]).toEqual(['get_login_info', 'send_group_message']);
});
