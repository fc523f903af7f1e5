// The sandbox page, driven in headless Chromium (Debian's package, which `npm test` installs):
// a user writes to the bot, and the bot's reply appears. The screenshot is kept as an artifact.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MilkyClient } from '@milky/client';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromiumOptions } from '../../../scripts/chromium.ts';
import { SandboxClient } from '../src/index.ts';
import { png, start, token } from './helpers.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch(chromiumOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test('a user chats with the bot on the sandbox page and sees its reply, images and files', async () => {
  await using t = await start({ controlToken: 'page-control' });
  const origin = t.server.world.links.origin;
  // The bot under test: answers "ping" with "pong" and a picture.
  await using bot = new MilkyClient({ baseUrl: t.url, accessToken: token });
  bot.on('message_receive', async (event) => {
    const text = event.data.segments.map((part) => (part.type === 'text' ? part.data.text : '')).join('');
    if (text === 'ping')
      await bot.reply(event, [
        { type: 'text', data: { text: 'pong' } },
        { type: 'image', data: { uri: png(32, 0xff8800).uri } },
      ]);
  });
  await bot.connect();

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${origin}/sandbox#token=page-control`);
  await page.getByTestId('chat-friend-10002').click();
  await expect.poll(() => page.getByTestId('messages').locator('.message').count()).toBe(3);

  await page.getByTestId('composer').fill('ping');
  await page.getByTestId('send').click();
  const reply = page.locator('[data-testid="messages"] .message.bot').filter({ hasText: 'pong' });
  await reply.waitFor({ timeout: 10_000 });
  await expect
    .poll(() => reply.locator('img').evaluate((node) => (node as unknown as { complete: boolean; naturalWidth: number }).naturalWidth))
    .toBe(32);
  expect(await reply.locator('blockquote').textContent()).toContain('ping');
  await expect.poll(() => page.getByTestId('events').textContent()).toContain('message_receive');

  // What happens elsewhere shows up live: a file from Alice, a nudge in the event log.
  const sandbox = new SandboxClient({ url: origin, token: 'page-control' });
  await sandbox.as(10002).upload({ file_name: 'report.txt', file_uri: `base64://${Buffer.from('the report').toString('base64')}` });
  const file = page.locator('[data-testid="messages"] a').filter({ hasText: 'report.txt' });
  await file.waitFor();
  await expect.poll(() => file.getAttribute('href')).toContain('/files/');
  expect(await (await fetch((await file.getAttribute('href')) ?? '')).text()).toBe('the report');

  // Group actions from the page: mute a member as the owner of the group.
  await page.getByTestId('actor').selectOption('10006');
  await page.getByTestId('chat-group-20003').click();
  await page.getByTestId('target').fill('10008');
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect.poll(() => t.sent('group_mute').map((event) => [event.data.user_id, event.data.operator_id])).toEqual([[10008, 10006]]);
  await expect.poll(() => page.getByTestId('events').textContent()).toContain('group_mute');
  await page.getByTestId('target').fill('10002');
  await page.getByRole('button', { name: 'Invite them' }).click();
  await expect
    .poll(() => t.sent('group_member_increase').map((event) => event.data))
    .toEqual([{ group_id: 20003, user_id: 10002, invitor_id: 10006 }]);
  // A new person, made a friend of the bot, through the page's dialogs.
  page.on('dialog', (dialog) => void (dialog.type() === 'prompt' ? dialog.accept('Ivan') : dialog.accept()));
  await page.getByRole('button', { name: 'New person…' }).click();
  await page.getByTestId('chat-friend-10010').waitFor();
  expect((await t.client.api.get_friend_info({ user_id: 10010 })).friend.nickname).toBe('Ivan');

  await page.getByTestId('chat-friend-10002').click();
  await reply.waitFor();
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'sandbox.png'), fullPage: true });
  expect(problems).toEqual([]);
  await page.close();
});

test('without the token the page asks for it, and a wrong one is refused', async () => {
  await using t = await start({ controlToken: 'page-control' });
  const page = await browser.newPage();
  await page.goto(`${t.server.world.links.origin}/sandbox`);
  await page.locator('#token').fill('wrong');
  await page.locator('#login button').click();
  await page.locator('#login').waitFor({ state: 'visible' });
  await page.locator('#token').fill('page-control');
  await page.locator('#login button').click();
  await page.getByTestId('chat-group-20001').waitFor();
  await page.close();
});
