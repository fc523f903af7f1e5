// The sandbox page as a chat, in headless Chromium at a desktop and a phone width: what a message
// can hold (faces by name, Markdown, forwarded messages, file cards), days with dates, a group's
// members and files, the Act panel's target, and nothing wider than a phone's screen. Screenshots
// are kept in test-artifacts/.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { chromiumOptions } from '../../../scripts/chromium.ts';
import { SandboxClient } from '../src/index.ts';
import { start } from './helpers.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch(chromiumOptions);
  await mkdir(artifacts, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

// A page left open by a failing test would keep its stream to the server open.
afterEach(async () => {
  for (const context of browser.contexts()) await context.close();
});

const base64 = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;

/** A group chat with one of everything the page draws. */
async function furnish(origin: string): Promise<void> {
  const sandbox = new SandboxClient({ url: origin, token: 'layout' });
  const alice = sandbox.as(10002);
  await alice.say({
    group_id: 20001,
    message: [
      { type: 'face', data: { face_id: '14' } },
      { type: 'text', data: { text: ' hello' } },
    ],
  });
  await alice.say({
    group_id: 20001,
    message: [{ type: 'markdown', data: { content: '# Notes\n**bold** and <script>alert(1)</script>\n- one\n- two' } }],
  });
  await alice.say({
    group_id: 20001,
    message: [
      {
        type: 'forward',
        data: {
          messages: [
            { user_id: 10003, sender_name: 'Bob', segments: [{ type: 'text', data: { text: 'first forwarded line' } }] },
            { user_id: 10002, sender_name: 'Alice', segments: [{ type: 'text', data: { text: 'second' } }] },
          ],
          title: 'Chat history',
        },
      },
    ],
  });
  await alice.say({ group_id: 20001, message: `a-very-long-word-${'x'.repeat(300)}` });
  await alice.upload({ group_id: 20001, file_name: 'minutes.txt', file_uri: base64('the minutes of the meeting') });
  await alice.upload({ file_name: 'notes.txt', file_uri: base64('some notes') });
}

/** Elements wider than the viewport, by a short description (run in the page). */
const overflowScript = `(() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) wide.push('the page is ' + document.documentElement.scrollWidth + 'px wide');
  for (const node of document.querySelectorAll('body *')) {
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 0.5) continue;
    // Inside a box that scrolls sideways (the list of chats on a phone) is fine.
    let scroller = node.parentElement;
    while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
    if (!scroller) wide.push(node.tagName.toLowerCase() + '.' + node.className + ' ends at ' + Math.round(box.right) + 'px');
  }
  return wide;
})()`;

function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(overflowScript);
}

for (const [device, viewport] of [
  ['desktop', { width: 1280, height: 860 }],
  ['phone', { width: 400, height: 860 }],
] as const) {
  test(`the page at ${device} width draws a group chat as a chat`, async () => {
    await using t = await start({ controlToken: 'layout' });
    const origin = t.server.world.links.origin;
    await furnish(origin);
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => void dialog.dismiss());
    await page.goto(`${origin}/sandbox#token=layout`);
    await page.getByTestId('chat-group-20001').click();
    const messages = page.getByTestId('messages');
    await messages.locator('.message').filter({ hasText: 'a-very-long-word' }).waitFor();

    // Faces by name, Markdown drawn (and its HTML shown as text), forwarded messages to open.
    expect(await messages.locator('.face').first().textContent()).toBe('微笑');
    expect(await messages.locator('.markdown h1').textContent()).toBe('Notes');
    expect(await messages.locator('.markdown strong').textContent()).toBe('bold');
    expect(await messages.locator('.markdown li').allTextContents()).toEqual(['one', 'two']);
    expect(await messages.locator('.markdown script').count()).toBe(0);
    expect(await messages.locator('.markdown').textContent()).toContain('<script>alert(1)</script>');
    const forward = messages.locator('details.forward');
    expect(await forward.evaluate((node) => (node as unknown as { open: boolean }).open)).toBe(false);
    await forward.locator('summary').click();
    // Opened, it shows the bundle's own messages, each with its sender.
    await forward.locator('li.forwarded').first().waitFor({ state: 'visible' });
    expect(await forward.locator('li.forwarded').first().textContent()).toMatch(/^Bob .*first forwarded line$/);
    // Days with their dates.
    expect(await messages.locator('.day').first().textContent()).toMatch(/\d{4}/);

    // Members with roles and mute state; the group's files as a folder.
    const members = page.getByTestId('members');
    expect(await members.locator('li[data-user="10001"]').textContent()).toContain('bot');
    expect(await members.locator('.badge.owner').count()).toBe(1);
    await page.getByTestId('files').locator('a').filter({ hasText: 'minutes.txt' }).waitFor();
    expect(await page.getByTestId('files').textContent()).toContain('26 B');

    // The Act panel names its target: the account played, the chat, the member picked.
    await page.getByTestId('actor').selectOption('10003');
    await members.locator('li[data-user="10004"] button').click();
    expect(await page.getByTestId('act-target').textContent()).toBe('As Bob (10003), in Milky 开发者 (20001), on 小红 (10004)');

    await page.screenshot({ path: join(artifacts, `sandbox-${device}.png`), fullPage: device === 'phone' });
    expect(await overflowing(page)).toEqual([]);

    // A file sent in a friend chat: a card with its size and a working link.
    await page.getByTestId('chat-friend-10002').click();
    const card = messages.locator('.card').filter({ hasText: 'notes.txt' });
    await card.waitFor();
    expect(await card.locator('.meta').textContent()).toBe('10 B');
    await expect.poll(() => card.locator('a').getAttribute('href')).toContain('/files/');
    expect(await overflowing(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
}

test('the token screen shows alone until a token works', async () => {
  await using t = await start({ controlToken: 'layout' });
  const page = await browser.newPage({ viewport: { width: 400, height: 700 } });
  await page.goto(`${t.server.world.links.origin}/sandbox#token=wrong`);
  await page.getByTestId('login-error').filter({ hasText: 'refused' }).waitFor();
  expect(await page.locator('#app').isVisible()).toBe(false);
  expect(await page.locator('#top').isVisible()).toBe(false);
  // The field has the focus: type and press Enter.
  await page.keyboard.type('layout');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-group-20001').waitFor();
  expect(await page.locator('#login').isVisible()).toBe(false);
  await page.close();
});
