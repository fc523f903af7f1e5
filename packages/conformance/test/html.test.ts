// The HTML report, opened in headless Chromium (Debian's package, which `npm test` installs): one
// page that loads nothing else, with the verdict, the coverage, and every check grouped by area
// with its rule, kind, result and evidence. The screenshot is kept as an artifact.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromiumOptions } from '../../../scripts/chromium.ts';
import { formatHtml, runConformance } from '../src/index.ts';
import { freePort, reference } from './helpers.ts';
import { proxy } from './proxy.ts';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch(chromiumOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test('the HTML report shows the verdict, coverage and every check with its rule, kind and evidence, and loads nothing', async () => {
  const webhookPort = await freePort();
  await using ref = await reference(webhookPort);
  // A server that answers malformed JSON with HTTP 400 (a protocol rule broken), does not offer
  // get_cookies, and sends 405 without Allow (advice).
  await using server = await proxy(ref.url, {
    answer(request, body) {
      if (request.url?.endsWith('/api/get_cookies')) return { status: 404, headers: {}, text: '' };
      if (request.method === 'GET' && request.url?.includes('/api/')) return { status: 405, headers: {}, text: '' };
      try {
        JSON.parse(body.toString() || '{}');
      } catch {
        if (request.headers['content-type'] === 'application/json') return { status: 400, headers: {}, text: 'bad <json>' };
      }
      return undefined;
    },
  });
  const report = await runConformance({ url: server.url, token: 'conformance-token', controlToken: 'conformance-control', webhookPort });
  const page = formatHtml(report);
  expect(page.match(/[\s\S]{0,120}conformance-token[\s\S]{0,40}/)?.[0]).toBeUndefined();
  // Nor the account's secrets that APIs answer with.
  const secret = async (api: string, input: object) => {
    const response = await fetch(`${ref.url}/api/${api}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer conformance-token' },
      body: JSON.stringify(input),
    });
    return Object.values(((await response.json()) as { data: Record<string, string> }).data)[0] as string;
  };
  for (const value of [
    await secret('get_csrf_token', {}),
    (await secret('get_cookies', { domain: 'qun.qq.com' })).split(';')[0] as string,
  ]) {
    expect(value.length).toBeGreaterThan(3);
    expect(page).not.toContain(value);
  }
  const dir = await mkdtemp(join(tmpdir(), 'milky-conformance-html-'));
  const file = join(dir, 'report.html');
  await writeFile(file, page);

  const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const requested: string[] = [];
  const problems: string[] = [];
  tab.on('request', (request) => requested.push(request.url()));
  tab.on('pageerror', (error) => problems.push(error.message));
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await tab.goto(pathToFileURL(file).href);
  expect(requested).toEqual([pathToFileURL(file).href]);
  expect(problems).toEqual([]);

  await expect.poll(() => tab.getByTestId('verdict').textContent()).toMatch(/Does not conform: 1 protocol rule broken/);
  const coverage = tab.getByTestId('coverage');
  expect(await coverage.locator('h2').textContent()).toBe(
    `${report.coverage.apis.offered.length} of ${report.coverage.apis.expected.length} APIs of Milky ${report.coverage.known} offered`,
  );
  expect(await coverage.textContent()).toContain('get_cookies');
  expect(await tab.locator('[data-status="fail"] b').textContent()).toBe('1');

  // Every check is on the page, grouped by area.
  for (const group of new Set(report.results.map((result) => result.group))) {
    expect(await tab.locator(`section[data-group="${group}"] details.check`).count()).toBe(
      report.results.filter((result) => result.group === group).length,
    );
  }
  // The failure is open, with its rule, kind, reason and the request and answer that show it.
  const failed = tab.locator('details.check[data-status="fail"]');
  expect(await failed.count()).toBe(1);
  expect(await failed.getAttribute('open')).not.toBeNull();
  expect(await failed.locator('.name').textContent()).toBe('malformed JSON answers HTTP 200 with retcode -400');
  expect(await failed.locator('.kind').textContent()).toBe('P');
  expect(await failed.locator('.rule').textContent()).toContain('communication rules § API calls: POST /api/:api');
  expect(await failed.locator('.reason').textContent()).toContain('expected HTTP 200, got 400');
  expect(await failed.locator('.evidence pre').first().textContent()).toContain('POST /api/get_login_info');
  expect(await failed.locator('.evidence pre').nth(1).textContent()).toContain('bad <json>');
  const advice = tab.locator('details.check[data-status="advice"]');
  expect(await advice.locator('.name').allTextContents()).toContain('a method other than POST gets 405 with Allow: POST');
  expect(await advice.first().locator('.kind').textContent()).toBe('C');
  const skipped = tab.locator('details.check[data-status="skip"]').filter({ hasText: 'get_cookies' });
  expect(await skipped.locator('.reason').textContent()).toMatch(/not offered by the server \(HTTP 404\)/);

  await mkdir(artifacts, { recursive: true });
  await tab.screenshot({ path: join(artifacts, 'conformance-report.png'), fullPage: false });
  await failed.screenshot({ path: join(artifacts, 'conformance-report-failure.png') });
  await tab.close();
}, 60_000);
