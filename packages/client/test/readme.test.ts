import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { groupMessage, startFullServer } from './helpers.ts';

const root = join(import.meta.dirname, '..');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

test('the README example is examples/echo-bot.ts, and it answers /echo', async () => {
  const example = readFileSync(join(root, 'examples', 'echo-bot.ts'), 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`ts\n${example}\`\`\``);
  await using t = await startFullServer({ accessToken: 'readme' });
  vi.stubEnv('MILKY_URL', t.url);
  vi.stubEnv('MILKY_TOKEN', 'readme');
  const printed: unknown[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    printed.push(line);
  });
  const { client } = await import('../examples/echo-bot.ts');
  expect(printed).toEqual(['sample text (1234567890) is listening']);
  const sent = t.waitFor('send_group_message');
  const message = groupMessage(5, '/echo hello');
  t.server.emit(message);
  await sent;
  await client.disconnect();
  expect(t.received.get('send_group_message')).toEqual([
    {
      group_id: 123456,
      message: [
        { type: 'reply', data: { message_seq: 5 } },
        { type: 'text', data: { text: 'hello' } },
      ],
    },
  ]);
});
