import { describe, expect, test } from 'vitest';
import {
  backoffDelay,
  defaultRetry,
  isRetryableStatus,
  parseRetryAfter,
  redactUrl,
  WebhookDispatcher,
  type WebhookOptions,
} from '../src/index.ts';
import { recordingLogger, startReceiver } from './receiver.ts';

describe('backoff', () => {
  test('full jitter: between 0 and the window, which doubles up to maxDelay', () => {
    const options = { ...defaultRetry, baseDelay: 100, maxDelay: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((retry) => backoffDelay(retry, options, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(5, options, () => 0)).toBe(0);
    expect(backoffDelay(1_000, options, () => 0.5)).toBe(500);
  });

  test('Retry-After: seconds or an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  test('retryable statuses: 408, 429 and 5xx', () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 204, 301, 400, 401, 403, 404, 410, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});

describe('redaction', () => {
  test('credentials and token parameters are hidden, the rest kept', () => {
    expect(redactUrl('https://user:pass@example.com/hook?access_token=abc&id=7&token=t')).toBe(
      'https://***:***@example.com/hook?access_token=***&id=7&token=***',
    );
    expect(redactUrl('not a url')).toBe('(invalid URL)');
    expect(redactUrl('/event?access_token=abc&x=1')).toBe('/event?access_token=***&x=1');
    expect(redactUrl('/api/send_group_message')).toBe('/api/send_group_message');
  });

  test('no token reaches a log line or a notification', async () => {
    await using receiver = await startReceiver([{ status: 500 }, { status: 400 }]);
    const { logger, lines } = recordingLogger();
    const webhooks = new WebhookDispatcher({
      targets: [`${receiver.url}?access_token=query-secret`],
      token: 'header-secret',
      retry: { baseDelay: 1 },
      logger,
    });
    const notifications: unknown[] = [];
    const collect = (payload: unknown) => notifications.push(payload);
    webhooks.on('retry', collect).on('failed', collect).on('delivered', collect).on('dropped', collect);
    webhooks.push('{}');
    await receiver.waitForRequests(2);
    await webhooks.close({ deadline: 1000 });
    webhooks.push('{}');
    const text = JSON.stringify({ lines, notifications, stats: webhooks.stats() });
    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer header-secret');
    expect(lines.length).toBeGreaterThan(1);
    expect(text).not.toContain('query-secret');
    expect(text).not.toContain('header-secret');
    expect(text).toContain('access_token=***');
  });
});

describe('options', () => {
  const { logger } = recordingLogger();
  test.each([
    [{ targets: ['not a url'] }, 'webhook target 1: url must be an absolute http(s) URL, got "(invalid URL)"'],
    [{ targets: ['ftp://example.com/x'] }, 'webhook target 1: url must use http or https, got ftp:'],
    [
      { targets: ['http://a.example/', { url: 'http://b.example/', concurrency: 0 }] },
      'webhook target 2: concurrency must be a positive integer, got 0',
    ],
    [{ targets: ['http://a.example/'], timeout: 1.5 }, 'webhook target 1: timeout must be a positive integer, got 1.5'],
    [{ targets: ['http://a.example/'], retry: { limit: -1 } }, 'webhook target 1: retry.limit must be a non-negative integer, got -1'],
    [
      { targets: ['http://a.example/'], backlog: { whenFull: 'drop-newest' } },
      "webhook target 1: backlog.whenFull must be 'drop-oldest' or 'refuse-new', got \"drop-newest\"",
    ],
    [{ targets: ['http://a.example/x', 'http://a.example/x'] }, 'webhook target http://a.example/x is listed twice'],
  ])('%o', (options, message) => {
    expect(() => new WebhookDispatcher({ ...(options as WebhookOptions), logger })).toThrow(message);
  });

  test('no targets: every push is a no-op', async () => {
    const webhooks = new WebhookDispatcher({ targets: [], logger });
    webhooks.push('{}');
    expect(webhooks.stats()).toEqual([]);
    expect(await webhooks.close()).toEqual({ drained: true, undelivered: [] });
  });
});
