import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';

const root = join(import.meta.dirname, '..');

afterEach(() => {
  vi.restoreAllMocks();
});

test('the README example is examples/validate.ts, and it prints what its comments say', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = readFileSync(join(root, 'examples', 'validate.ts'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);

  const printed: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((value: unknown) => {
    printed.push(value);
  });
  await import('../examples/validate.ts');
  expect(printed).toEqual([
    { type: 'face', data: { face_id: '14', is_large: false } },
    'group_id: expected an integer from 10001 to 4294967295, got the number 42',
    'not known yet: x_unknown_event',
  ]);
});

test('the README names the protocol version the package describes', async () => {
  const { milkyVersion } = await import('../src/index.ts');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`Milky QQ-bot protocol, version ${milkyVersion},`);
});
