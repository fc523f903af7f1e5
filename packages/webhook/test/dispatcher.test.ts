import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { WebhookDispatcher, type WebhookOptions } from '../src/index.ts';
import { deliveries, recordingLogger, startReceiver } from './receiver.ts';

const fast = { baseDelay: 5, maxDelay: 20, maxRetryAfter: 50 };
const event = (n: number) => JSON.stringify({ time: 1763900000 + n, self_id: 10001, event_type: 'bot_offline', data: { reason: `n${n}` } });

function dispatcher(options: WebhookOptions) {
  return new WebhookDispatcher({ random: () => 0.5, ...options, retry: { ...fast, ...options.retry } });
}

describe('delivery', () => {
  test('each event is a POST of the same bytes, as JSON, with the bearer token', async () => {
    await using receiver = await startReceiver();
    const { logger } = recordingLogger();
    await using webhooks = dispatcher({ targets: [receiver.url], token: 's3cret', logger });
    const body = Buffer.from(event(1));
    webhooks.push(body);
    await receiver.waitForAccepted(1);
    const [request] = receiver.requests;
    expect(request?.body.equals(body)).toBe(true);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer s3cret');
    expect(request?.headers['content-length']).toBe(String(body.length));
  });

  test('tokens per URL: its own, the default, or none', async () => {
    await using a = await startReceiver();
    await using b = await startReceiver();
    await using c = await startReceiver();
    await using webhooks = dispatcher({
      targets: [{ url: a.url, token: 'for-a' }, b.url, { url: c.url, token: null }],
      token: 'default',
      logger: recordingLogger().logger,
    });
    webhooks.push(event(1));
    await Promise.all([a.waitForAccepted(1), b.waitForAccepted(1), c.waitForAccepted(1)]);
    expect(a.requests[0]?.headers.authorization).toBe('Bearer for-a');
    expect(b.requests[0]?.headers.authorization).toBe('Bearer default');
    expect(c.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('500, a hang, a reset, then recovery: retried until delivered', async () => {
    await using receiver = await startReceiver([{ status: 500 }, { hang: true }, { reset: true }, { status: 503 }]);
    const { logger, lines } = recordingLogger();
    await using webhooks = dispatcher({ targets: [receiver.url], timeout: 300, logger });
    const retries: Array<{ attempt: number; reason: string }> = [];
    webhooks.on('retry', ({ attempt, reason }) => retries.push({ attempt, reason }));
    const delivered = once(webhooks, 'delivered');
    webhooks.push(event(1));
    const [{ attempts }] = await delivered;
    expect(attempts).toBe(5);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2, 3, 4]);
    expect(retries[0]?.reason).toBe('HTTP 500');
    expect(retries[1]?.reason).toMatch(/timeout/i);
    expect(retries[2]?.reason).toMatch(/socket hang up|ECONNRESET/);
    expect(retries[3]?.reason).toBe('HTTP 503');
    expect(receiver.requests.every((request) => request.body.equals(Buffer.from(event(1))))).toBe(true);
    const [stats] = webhooks.stats();
    expect(stats).toMatchObject({ delivered: 1, retried: 4, failed: 0, dropped: 0, backlog: 0 });
    expect(stats?.lastError?.message).toBe('HTTP 503');
    expect(lines.map((line) => line.message)).toEqual(['delivery failing, retrying', 'delivery recovered']);
  });

  test('429 with Retry-After is honoured, capped by maxRetryAfter', async () => {
    const date = new Date(Date.now() + 3_600_000).toUTCString();
    await using receiver = await startReceiver([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 503, headers: { 'retry-after': date } },
    ]);
    await using webhooks = dispatcher({ targets: [receiver.url], retry: { maxRetryAfter: 40 }, logger: recordingLogger().logger });
    const delays: number[] = [];
    webhooks.on('retry', ({ delay }) => delays.push(delay));
    const delivered = once(webhooks, 'delivered');
    webhooks.push(event(1));
    await delivered;
    expect(delays).toEqual([0, 40, 40]);
  });

  test('408 is retried; other 4xx and 3xx fail at once, without a retry', async () => {
    await using receiver = await startReceiver([
      { status: 408 },
      { status: 400 },
      { status: 404 },
      { status: 302, headers: { location: '/elsewhere' } },
    ]);
    const { logger, lines } = recordingLogger();
    await using webhooks = dispatcher({ targets: [receiver.url], logger });
    const failures: Array<{ reason: string; attempts: number; body: string }> = [];
    webhooks.on('failed', ({ reason, attempts, body }) => failures.push({ reason, attempts, body: body.toString() }));
    for (const n of [1, 2, 3]) webhooks.push(event(n));
    await receiver.waitForRequests(4);
    await webhooks.close();
    expect(failures).toEqual([
      { reason: 'HTTP 400', attempts: 2, body: event(1) },
      { reason: 'HTTP 404', attempts: 1, body: event(2) },
      { reason: 'HTTP 302', attempts: 1, body: event(3) },
    ]);
    expect(receiver.requests).toHaveLength(4);
    expect(webhooks.stats()[0]).toMatchObject({ delivered: 0, failed: 3, retried: 1 });
    expect(lines.filter((line) => line.level === 'error')[0]?.message).toBe('event not delivered');
  });

  test('retries are bounded: after the limit the event fails', async () => {
    await using receiver = await startReceiver([], { status: 500 });
    await using webhooks = dispatcher({ targets: [receiver.url], retry: { limit: 3 }, logger: recordingLogger().logger });
    const failed = once(webhooks, 'failed');
    webhooks.push(event(1));
    const [failure] = await failed;
    expect(failure.attempts).toBe(4);
    expect(failure.reason).toBe('HTTP 500 (after 4 attempts)');
    expect(receiver.requests).toHaveLength(4);
  });
});

describe('order, concurrency and independence', () => {
  test('in order per URL, also when some attempts fail', async () => {
    const seen = new Map<string, number>();
    await using receiver = await startReceiver((_, body) => {
      const key = body.toString();
      const tries = (seen.get(key) ?? 0) + 1;
      seen.set(key, tries);
      const n = (JSON.parse(key) as { time: number }).time;
      return tries === 1 && n % 3 === 0 ? { status: 502 } : { status: 200 };
    });
    await using webhooks = dispatcher({ targets: [receiver.url], logger: recordingLogger().logger });
    const bodies = Array.from({ length: 40 }, (_, n) => event(n));
    for (const body of bodies) webhooks.push(body);
    await receiver.waitForAccepted(bodies.length);
    expect(receiver.accepted().map((request) => request.body.toString())).toEqual(bodies);
    expect(webhooks.stats()[0]?.retried).toBeGreaterThan(0);
    expect(receiver.concurrency.max).toBe(1);
  });

  test('with a concurrency of 8, up to 8 deliveries are in flight at once', async () => {
    await using receiver = await startReceiver((index) => (index < 8 ? { hang: true } : { status: 204 }));
    await using webhooks = dispatcher({ targets: [receiver.url], concurrency: 8, timeout: 300, logger: recordingLogger().logger });
    for (let n = 0; n < 20; n++) webhooks.push(event(n));
    await receiver.waitForRequests(8);
    expect(receiver.concurrency.current).toBe(8);
    expect(webhooks.stats()[0]).toMatchObject({ inFlight: 8, backlog: 20 });
    await receiver.waitForAccepted(20);
    expect(receiver.concurrency.max).toBe(8);
  });

  test('a dead URL does not delay the others', async () => {
    await using dead = await startReceiver([], { hang: true });
    await using healthy = await startReceiver();
    await using webhooks = dispatcher({ targets: [dead.url, healthy.url], timeout: 60_000, logger: recordingLogger().logger });
    const delivered = deliveries(webhooks, 50);
    for (let n = 0; n < 50; n++) webhooks.push(event(n));
    await delivered;
    const [deadStats, healthyStats] = webhooks.stats();
    expect(healthyStats).toMatchObject({ delivered: 50, backlog: 0 });
    expect(deadStats).toMatchObject({ delivered: 0, backlog: 50, inFlight: 1 });
  });
});

describe('bounded backlog', () => {
  test('drop-oldest keeps the newest events and counts and logs every drop', async () => {
    await using receiver = await startReceiver([{ hang: true }]);
    const { logger, lines } = recordingLogger();
    await using webhooks = dispatcher({ targets: [receiver.url], backlog: { limit: 4, whenFull: 'drop-oldest' }, timeout: 60_000, logger });
    const dropped: string[] = [];
    webhooks.on('dropped', ({ body, reason }) => dropped.push(`${reason}:${body.toString()}`));
    webhooks.push(event(0));
    await receiver.waitForRequests(1);
    for (let n = 1; n <= 9; n++) webhooks.push(event(n));
    expect(dropped).toEqual([1, 2, 3, 4, 5, 6].map((n) => `backlog-full:${event(n)}`));
    expect(webhooks.stats()[0]).toMatchObject({ dropped: 6, backlog: 4 });
    const warning = lines.find((line) => line.message === 'event dropped: the backlog is full');
    expect(warning?.fields).toMatchObject({ dropped: 1, policy: 'drop-oldest', limit: 4 });
  });

  test('refuse-new keeps the oldest events', async () => {
    await using receiver = await startReceiver([{ hang: true }]);
    await using webhooks = dispatcher({
      targets: [receiver.url],
      backlog: { limit: 3, whenFull: 'refuse-new' },
      timeout: 60_000,
      logger: recordingLogger().logger,
    });
    const dropped: string[] = [];
    webhooks.on('dropped', ({ body }) => dropped.push(body.toString()));
    webhooks.push(event(0));
    await receiver.waitForRequests(1);
    for (let n = 1; n <= 5; n++) webhooks.push(event(n));
    expect(dropped).toEqual([event(3), event(4), event(5)]);
  });

  test('the backlog is bounded in bytes too: the oldest go first, and an event larger than the bound alone is dropped', async () => {
    await using receiver = await startReceiver([{ hang: true }]);
    const { logger, lines } = recordingLogger();
    const size = Buffer.byteLength(event(0));
    await using webhooks = dispatcher({ targets: [receiver.url], backlog: { bytes: 3 * size }, timeout: 60_000, logger });
    const dropped: string[] = [];
    webhooks.on('dropped', ({ body }) => dropped.push(body.toString()));
    webhooks.push(event(0));
    await receiver.waitForRequests(1);
    for (let n = 1; n <= 5; n++) webhooks.push(event(n));
    // One in flight and two queued fill the three events' worth of bytes.
    expect(dropped).toEqual([event(1), event(2), event(3)]);
    expect(webhooks.stats()[0]).toMatchObject({ dropped: 3, backlog: 3, backlogBytes: 3 * size });
    const huge = JSON.stringify({ ...JSON.parse(event(6)), data: { reason: 'x'.repeat(4 * size) } });
    webhooks.push(huge);
    expect(dropped.at(-1)).toBe(huge);
    expect(webhooks.stats()[0]).toMatchObject({ dropped: 4, backlog: 3 });
    expect(lines.find((line) => line.message === 'event dropped: the backlog is full')?.fields).toMatchObject({ bytes: 3 * size });
  });
});

describe('closing', () => {
  test('close() delivers what waits before it resolves', async () => {
    await using receiver = await startReceiver([{ status: 500 }]);
    const webhooks = dispatcher({ targets: [receiver.url], logger: recordingLogger().logger });
    for (let n = 0; n < 10; n++) webhooks.push(event(n));
    const report = await webhooks.close({ deadline: 10_000 });
    expect(report).toEqual({ drained: true, undelivered: [] });
    expect(receiver.accepted()).toHaveLength(10);
  });

  test('at the deadline, what is left is aborted and reported; events pushed after close are dropped', async () => {
    await using receiver = await startReceiver([], { hang: true });
    const { logger, lines } = recordingLogger();
    const webhooks = dispatcher({ targets: [receiver.url], timeout: 60_000, logger });
    for (let n = 0; n < 5; n++) webhooks.push(event(n));
    await receiver.waitForRequests(1);
    const report = await webhooks.close({ deadline: 50 });
    expect(report.drained).toBe(false);
    expect(report.undelivered).toEqual([{ url: receiver.url, count: 5, kept: false }]);
    expect(lines.find((line) => line.level === 'error')?.message).toBe('undelivered events lost at close');
    webhooks.push(event(6));
    expect(webhooks.stats()[0]?.dropped).toBe(1);
    await expect(webhooks.close()).rejects.toThrow('already closed');
  });
});

describe('durable mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'milky-webhook-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a restart loses no undelivered event, and order is kept', async () => {
    const path = join(dir, 'restart.sqlite');
    let healthy = false;
    await using receiver = await startReceiver(() => (healthy ? { status: 204 } : { status: 503 }));
    const first = dispatcher({ targets: [receiver.url], store: { sqlite: path }, logger: recordingLogger().logger });
    const bodies = Array.from({ length: 12 }, (_, n) => event(n));
    for (const body of bodies) first.push(body);
    await receiver.waitForRequests(2);
    expect(await first.close({ deadline: 0 })).toEqual({ drained: false, undelivered: [{ url: receiver.url, count: 12, kept: true }] });

    // Another configuration sees the kept events and says whose they are.
    const { logger, lines } = recordingLogger();
    await (await dispatcher({ targets: ['http://127.0.0.1:9/other'], store: { sqlite: path }, logger })).close({ deadline: 0 });
    expect(lines.find((line) => line.message.includes('no longer configured'))?.fields).toEqual({ url: receiver.url, count: 12 });

    // The URL recovers: the next start delivers all of them, in order, and empties the store.
    healthy = true;
    const second = dispatcher({ targets: [receiver.url], store: { sqlite: path }, logger: recordingLogger().logger });
    await receiver.waitForAccepted(12);
    expect(receiver.accepted().map((request) => request.body.toString())).toEqual(bodies);
    expect(await second.close()).toEqual({ drained: true, undelivered: [] });
    const third = dispatcher({ targets: [receiver.url], store: { sqlite: path }, logger: recordingLogger().logger });
    expect(third.stats()[0]?.backlog).toBe(0);
    await third.close();
  });

  test('events given up on and dropped leave the store too', async () => {
    const path = join(dir, 'cleanup.sqlite');
    await using receiver = await startReceiver([{ hang: true }, { status: 400 }]);
    const webhooks = dispatcher({
      targets: [receiver.url],
      store: { sqlite: path },
      backlog: { limit: 2 },
      timeout: 200,
      retry: { limit: 0 },
      logger: recordingLogger().logger,
    });
    for (let n = 0; n < 4; n++) webhooks.push(event(n));
    await webhooks.close({ deadline: 10_000 });
    expect(webhooks.stats()[0]).toMatchObject({ dropped: 2, failed: 2, delivered: 0 });
    const reopened = dispatcher({ targets: [receiver.url], store: { sqlite: path }, logger: recordingLogger().logger });
    expect(reopened.stats()[0]?.backlog).toBe(0);
    await reopened.close();
  });
});
