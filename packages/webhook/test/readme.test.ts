import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { startReceiver } from './receiver.ts';

const root = join(import.meta.dirname, '..');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

test('the README example is examples/deliver.ts, and it delivers what it says', async () => {
  const example = readFileSync(join(root, 'examples', 'deliver.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);

  await using receiver = await startReceiver();
  vi.stubEnv('WEBHOOK_URL', receiver.url);
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
    printed.push(values);
  });
  await import('../examples/deliver.ts');
  expect(printed).toEqual([[1, []]]);
  expect(receiver.requests[0]?.headers.authorization).toBe('Bearer the-access-token');
  expect(JSON.parse(receiver.requests[0]?.body.toString() ?? '')).toMatchObject({ event_type: 'bot_offline' });
});
