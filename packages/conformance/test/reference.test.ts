import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apis, events, incomingSegments, milkyVersion } from '@milky/types';
import { expect, test } from 'vitest';
import { runConformanceCli } from '../src/cli.ts';
import { type Coverage, type Rule, runConformance } from '../src/index.ts';
import { freePort, reference } from './helpers.ts';

test('the reference server passes completely: every check runs, and none fails', async () => {
  const webhookPort = await freePort();
  // Resources of at most 12 MB keep the body limit at 16 MiB: the 413 check sends a body just over it.
  await using ref = await reference(webhookPort, { maxResourceBytes: 12_000_000 });
  const dir = await mkdtemp(join(tmpdir(), 'milky-conformance-'));
  let out = '';
  const code = await runConformanceCli(
    [
      '--url',
      ref.url,
      '--token',
      'conformance-token',
      '--control-token',
      'conformance-control',
      '--webhook-port',
      String(webhookPort),
      '--body-limit',
      String(ref.server.bodyLimit),
      '--write',
      '--json',
      join(dir, 'report.json'),
      '--junit',
      join(dir, 'report.xml'),
      '--html',
      join(dir, 'report.html'),
    ],
    {},
    { out: (text) => (out += text), err: (text) => (out += text) },
  );
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
    results: Array<{ status: string; name: string; reason?: string; rule: Rule }>;
    counts: Record<string, number>;
    coverage: Coverage;
  };
  // Every check states its rule, where it is written and its kind.
  for (const result of report.results) {
    expect(result.rule, result.name).toMatchObject({
      kind: expect.stringMatching(/^[PC]$/),
      section: expect.any(String),
      text: expect.any(String),
    });
  }
  expect(report.results.find((result) => result.name === 'get_friend_list')?.rule).toMatchObject({
    page: 'definitions',
    section: 'get_friend_list',
  });
  const notPassed = report.results
    .filter((result) => result.status !== 'pass')
    .map((result) => `${result.status} ${result.name}: ${result.reason}`);
  expect(notPassed).toEqual([]);
  expect(code).toBe(0);
  expect(report.counts.pass).toBeGreaterThan(100);
  expect(out).toMatch(/\d+ passed, 0 failed, 0 advice, 0 with notes, 0 skipped\n$/);
  const junit = await readFile(join(dir, 'report.xml'), 'utf8');
  expect(junit).toContain(`tests="${report.counts.pass}" failures="0" skipped="0"`);
  expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain(`Conforms to Milky ${milkyVersion}: no protocol rule broken`);
  expect(report.coverage).toMatchObject({ declared: milkyVersion, known: milkyVersion, notExpected: [] });
  expect(report.coverage.apis.missing).toEqual([]);
  // Every API, event type and incoming segment type of the registry is checked: a new one without
  // a check fails here by name.
  expect(Object.keys(apis).filter((name) => !report.coverage.checked.apis.includes(name))).toEqual([]);
  expect(Object.keys(incomingSegments).filter((type) => !report.coverage.checked.segments.includes(type))).toEqual([]);
  const passed = new Set(report.results.filter((result) => result.status === 'pass').map((result) => result.name));
  expect(Object.keys(events).filter((type) => !passed.has(`${type} arrives on every transport`))).toEqual([]);
}, 120_000);

test('under a prefix, the endpoints are found there', async () => {
  const webhookPort = await freePort();
  await using ref = await reference(webhookPort, { prefix: '/milky' });
  expect(ref.url).toMatch(/\/milky$/);
  const report = await runConformance({
    url: ref.url.replace(/\/milky$/, ''),
    prefix: '/milky',
    token: 'conformance-token',
    controlToken: 'conformance-control',
    webhookPort,
  });
  expect(report.results.filter((result) => result.status === 'fail')).toEqual([]);
  // Only what was not asked for is skipped: the APIs with side effects (no --write) and 413 (no --body-limit).
  const reasons = new Set(report.results.filter((result) => result.status === 'skip').map((result) => result.reason));
  expect(reasons).toEqual(new Set(['has side effects; run with --write to check it', 'the body limit is not known (pass --body-limit)']));
});
