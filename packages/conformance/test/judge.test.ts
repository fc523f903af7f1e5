// The suite judges by the protocol: a server that differs from the reference server only in this
// toolkit's choices gets advice and no failure; one that speaks a newer version passes with notes;
// and what could change a world someone keeps is refused unless asked for.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiSuccess, apis, events, isApiName, milkyVersion, readEnvelope } from '@milky/types';
import { expect, test } from 'vitest';
import { runConformanceCli } from '../src/cli.ts';
import { formatTable, LastingChangesRefused, type Report, runConformance } from '../src/index.ts';
import { freePort, reference } from './helpers.ts';
import { type Answer, envelope, proxy } from './proxy.ts';

const names = (report: Report, status: string) => report.results.filter((result) => result.status === status).map((result) => result.name);
const apiOf = (url = '') => /\/api\/([^/?]*)/.exec(url)?.[1] ?? '';

test('a server that differs only in project choices passes with advice only; answering -403 first skips input validation', async () => {
  const webhookPort = await freePort();
  await using ref = await reference(webhookPort);
  let offline = false;
  await using choices = await proxy(ref.url, {
    answer(request) {
      // 404 before 401; 405 without Allow; -403 before -400 while the bot is offline.
      if (!isApiName(apiOf(request.url))) return { status: 404, headers: { 'content-type': 'text/plain' }, text: 'no such API' };
      if (request.method !== 'POST') return { status: 405, headers: {}, text: '' };
      const authorized = request.headers.authorization === 'Bearer conformance-token';
      if (offline && authorized && request.headers['content-type'] === 'application/json') {
        return envelope({ status: 'failed', retcode: -403, message: 'the bot is not logged in' });
      }
      return undefined;
    },
  });
  // No body limit below the upstream's: a body over the one given is served.
  const options = {
    url: choices.url,
    token: 'conformance-token',
    controlToken: 'conformance-control',
    webhookPort,
    write: true,
    bodyLimit: 4096,
  };
  const report = await runConformance(options);
  expect(names(report, 'fail')).toEqual([]);
  expect(report.ok).toBe(true);
  expect(names(report, 'advice').sort()).toEqual([
    'a body over the limit gets 413',
    'a method other than POST gets 405 with Allow: POST',
    'the checks come in this toolkit’s order: 401, then 404, then 405, then 415',
  ]);
  for (const result of report.results.filter((r) => r.status === 'advice')) expect(result.rule.kind).toBe('C');
  expect(report.results.find((r) => r.name === 'a method other than POST gets 405 with Allow: POST')?.reason).toMatch(
    /expected Allow: POST/,
  );
  expect(report.counts.skip).toBe(0);
  // With --strict, advice fails the run.
  expect((await runConformance({ ...options, write: false, controlToken: undefined, strict: true })).ok).toBe(false);

  offline = true;
  ref.server.setOnline(false, 'logged out');
  const loggedOut = await runConformance(options);
  expect(names(loggedOut, 'fail')).toEqual([]);
  expect(loggedOut.ok).toBe(true);
  const byName = new Map(loggedOut.results.map((result) => [result.name, result]));
  for (const name of ['malformed JSON answers HTTP 200 with retcode -400', 'a missing field answers -400', 'get_friend_list']) {
    expect(byName.get(name)).toMatchObject({ status: 'skip', reason: expect.stringContaining('-403') });
  }
  // The rules before -403 are still checked.
  expect(byName.get('a call without Authorization gets 401')?.status).toBe('pass');
  expect(byName.get('a body without Content-Type gets 415')?.status).toBe('pass');
}, 60_000);

test('a server that declares a newer version passes with notes for what the compatibility rules allow', async () => {
  const webhookPort = await freePort();
  await using ref = await reference(webhookPort);
  const future = (answer: Answer, api: string): Answer => {
    if (answer.status !== 200) return answer;
    const reading = readEnvelope(answer.text);
    if (reading.status !== 'ok') return answer;
    const data: Record<string, unknown> = { ...reading.data, x_field: true };
    if (api === 'get_impl_info') data.milky_version = '1.9';
    if (api === 'get_history_messages') {
      data.messages = (data.messages as Array<{ segments: unknown[] }>).map((message) => ({
        ...message,
        segments: [...message.segments, { type: 'x_hologram', data: { depth: 3 } }],
      }));
    }
    if (api === 'get_group_notifications') {
      data.notifications = [...(data.notifications as unknown[]), { type: 'x_transfer_owner', group_id: 20001 }];
    }
    const success: ApiSuccess<Record<string, unknown>> = { status: 'ok', retcode: 0, data };
    return envelope(success);
  };
  await using newer = await proxy(ref.url, {
    rewrite: (request, answer) => future(answer, apiOf(request.url)),
    event: (event) => ({ ...event, x_field: 1, data: { ...(event.data as object), x_field: 1 } }),
    prelude: `event: milky_event\ndata: ${JSON.stringify({ time: 1, self_id: 10001, event_type: 'x_unknown_event', data: { x: 1 } })}\n\n`,
  });
  const report = await runConformance({ url: newer.url, token: 'conformance-token', controlToken: 'conformance-control' });
  expect(names(report, 'fail')).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.coverage.declared).toBe('1.9');
  const byName = new Map(report.results.map((result) => [result.name, result]));
  expect(byName.get('get_login_info')).toMatchObject({ status: 'note', notes: [expect.stringContaining('x_field')] });
  expect(byName.get('get_history_messages (oldest first, within the limit)')?.notes?.join('\n')).toContain('x_hologram');
  expect(byName.get('get_group_notifications')?.status).toBe('note');
  const events = byName.get('every event carries the fields its type requires, as its type defines them');
  expect(events?.status).toBe('note');
  expect(events?.notes?.join('\n')).toMatch(/x_unknown_event/);

  // The same answers from a server that declares the suite's own version break the protocol.
  await using same = await proxy(ref.url, {
    rewrite: (request, answer) => {
      const changed = future(answer, apiOf(request.url));
      return apiOf(request.url) === 'get_impl_info' ? answer : changed;
    },
  });
  const strictReport = await runConformance({ url: same.url, token: 'conformance-token' });
  expect(new Map(strictReport.results.map((result) => [result.name, result])).get('get_login_info')).toMatchObject({
    status: 'fail',
    reason: expect.stringContaining('x_field'),
  });
}, 60_000);

test('changes that cannot be undone are refused in a world that is kept, unless allowed', async () => {
  const webhookPort = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'milky-conformance-kept-'));
  await using ref = await reference(webhookPort, { database: join(dir, 'world.sqlite') });
  const options = { url: ref.url, token: 'conformance-token', controlToken: 'conformance-control' };
  await expect(runConformance(options)).rejects.toThrow(LastingChangesRefused);
  await expect(runConformance({ url: ref.url, token: 'conformance-token', write: true })).rejects.toThrow(/--allow-lasting-changes/);
  let err = '';
  const code = await runConformanceCli(
    ['--url', ref.url, '--token', 'conformance-token', '--control-token', 'conformance-control'],
    {},
    {
      out: () => {},
      err: (text) => (err += text),
    },
  );
  expect(code).toBe(2);
  expect(err).toMatch(/refused: the sandbox’s world is kept/);
  const allowed = await runConformance({ ...options, allowLastingChanges: true });
  expect(allowed.ok).toBe(true);
}, 60_000);

test('a server is judged by the version it declares: what is newer is not expected, and what it does not offer is coverage', async () => {
  const webhookPort = await freePort();
  await using ref = await reference(webhookPort);
  // Everything this suite knows that is newer than the version before it.
  const [major, minor] = milkyVersion.split('.').map(Number) as [number, number];
  const older = `${major}.${minor - 1}`;
  const newer = Object.entries(apis)
    .filter(([, api]) => api.since === milkyVersion)
    .map(([name]) => name);
  const newerEvents = Object.entries(events)
    .filter(([, event]) => event.since === milkyVersion)
    .map(([type]) => type);
  const unoffered = 'get_group_essence_messages';
  await using server = await proxy(ref.url, {
    answer: (request) =>
      [...newer, unoffered].includes(apiOf(request.url)) ? { status: 404, headers: { 'content-type': 'text/plain' }, text: '' } : undefined,
    rewrite: (request, answer) => {
      if (apiOf(request.url) !== 'get_impl_info' || answer.status !== 200) return answer;
      const body = JSON.parse(answer.text) as { data: object };
      return envelope({ ...body, data: { ...body.data, milky_version: older } });
    },
  });
  const report = await runConformance({
    url: server.url,
    token: 'conformance-token',
    controlToken: 'conformance-control',
    webhookPort,
    write: true,
  });
  expect(names(report, 'fail')).toEqual([]);
  expect(report.coverage.declared).toBe(older);
  expect(report.coverage.notExpected).toEqual(newer);
  expect(report.coverage.apis.missing).toEqual([unoffered]);
  expect(report.coverage.apis.expected.length).toBe(Object.keys(apis).length - newer.length);
  expect(formatTable(report)).toContain(
    `${report.coverage.apis.expected.length - 1} of ${report.coverage.apis.expected.length} APIs of Milky ${older} offered`,
  );
  const byName = new Map(report.results.map((result) => [result.name, result]));
  expect(byName.get('get_group_essence_messages')).toMatchObject({ status: 'skip', reason: expect.stringContaining('HTTP 404') });
  for (const name of newer)
    expect(byName.get(name)).toMatchObject({ status: 'skip', reason: expect.stringContaining(`added in Milky ${milkyVersion}`) });
  for (const type of newerEvents) {
    expect(byName.get(`${type} arrives on every transport`)).toMatchObject({
      status: 'skip',
      reason: expect.stringContaining(`declares ${older}`),
    });
  }
}, 60_000);
