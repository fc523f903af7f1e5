// The README's handler is examples/echo-handler.js, and through a gateway and a worker it answers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MilkyClient } from '@milky/client';
import { expect, test } from 'vitest';
import { Calls, Gateway, type Handler, Keys, parseConfig, Worker } from '../src/index.ts';
import { alice, connect, freshPrefix, redisUrl, type Side, say, sharedGroup, sides, silent, token } from './helpers.ts';

const root = join(import.meta.dirname, '..');

test('the README shows examples/echo-handler.js, and it answers ping in a group and in a friend chat', async () => {
  const file = join(root, 'examples', 'echo-handler.js');
  const example = readFileSync(file, 'utf8');
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`\`\`\`js\n${example}\`\`\``);
  const { default: handler } = (await import(pathToFileURL(file).href)) as { default: Handler };
  await using worlds = await sides(1);
  const side = worlds[0] as Side;
  const prefix = freshPrefix();
  await using gateway = new Gateway({ redis: redisUrl(), accounts: [side.account], prefix, logger: silent });
  await gateway.start();
  const redis = connect();
  const answered: string[] = [];
  let done!: () => void;
  const both = new Promise<void>((resolve) => {
    done = resolve;
  });
  await using worker = new Worker({
    redis,
    group: 'readme',
    prefix,
    logger: silent,
    calls: new Calls(redis, new Keys(prefix), { accounts: [side.account], logger: silent }),
    handler,
  });
  worker.on('settled', (id) => {
    answered.push(id);
    if (answered.length === 2) done();
  });
  await worker.start();
  await say(side, 'ping');
  await side.server.world.send(alice, { scene: 'friend', peerId: alice }, [{ type: 'text', data: { text: 'ping' } }]);
  await both;
  const client = new MilkyClient({ baseUrl: side.url, accessToken: token, logger: silent });
  const texts = async (message_scene: 'group' | 'friend', peer_id: number) =>
    (await client.api.get_history_messages({ message_scene, peer_id })).messages
      .filter((message) => message.sender_id === side.uin)
      .map((message) => (message.segments[0]?.type === 'text' ? message.segments[0].data.text : ''));
  expect(await texts('group', sharedGroup)).toEqual([`pong (received by ${side.uin})`]);
  expect(await texts('friend', alice)).toEqual([`pong (received by ${side.uin})`]);
  await worker.stop();
  redis.disconnect();
});

test('examples/broker.json is a valid config', () => {
  const config = parseConfig({
    ...JSON.parse(readFileSync(join(root, 'examples', 'broker.json'), 'utf8')),
    accounts: [{ url: 'http://127.0.0.1:3000' }],
  });
  expect(config.redis).toBe('redis://127.0.0.1:6379');
  expect(config.http).toEqual({ host: '127.0.0.1', port: 9464 });
});
