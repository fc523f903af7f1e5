import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventOf } from '@milky/types';
import { afterEach, expect, test, vi } from 'vitest';
import { startFullServer } from './helpers.ts';

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
  const message: EventOf<'message_receive'> = {
    time: 1,
    self_id: 1234567890,
    event_type: 'message_receive',
    data: {
      message_scene: 'group',
      peer_id: 123456,
      message_seq: 5,
      sender_id: 10002,
      time: 1,
      segments: [{ type: 'text', data: { text: '/echo hello' } }],
      group: {
        group_id: 123456,
        group_name: 'g',
        member_count: 2,
        max_member_count: 200,
        remark: '',
        created_time: 0,
        description: '',
        question: '',
        announcement: '',
      },
      group_member: {
        user_id: 10002,
        nickname: 'n',
        sex: 'unknown',
        group_id: 123456,
        card: '',
        title: '',
        level: 1,
        role: 'member',
        join_time: 0,
        last_sent_time: 0,
      },
    },
  };
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
