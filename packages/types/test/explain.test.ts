// Errors name the field path and what was expected, and agree with the compiled checks.

import type { TSchema } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { apis, apiValidators, Event, events, MilkyValidationError, validator } from '../src/index.ts';
import { sample } from './samples.ts';

const send = apiValidators('send_group_message').input;

describe('issue messages', () => {
  const table: Array<{ input: unknown; message: string }> = [
    { input: null, message: '(root): expected an object, got null' },
    { input: [], message: '(root): expected an object, got an array of 0' },
    { input: { message: [] }, message: 'group_id: required field is missing (expected an integer from 10001 to 4294967295)' },
    { input: { group_id: 10000, message: [] }, message: 'group_id: expected an integer from 10001 to 4294967295, got the number 10000' },
    {
      input: { group_id: 12345.5, message: [] },
      message: 'group_id: expected an integer from 10001 to 4294967295, got the number 12345.5',
    },
    {
      input: { group_id: '12345', message: [] },
      message: 'group_id: expected an integer from 10001 to 4294967295, got the string "12345"',
    },
    { input: { group_id: 12345, message: 'hi' }, message: 'message: expected an array, got the string "hi"' },
    {
      input: { group_id: 12345, message: [{ type: 'txt', data: { text: 'hi' } }] },
      message:
        'message[0].type: expected one of "text", "mention", "mention_all", "face", "reply", "image", "record", "video", "forward", "light_app", got the string "txt"',
    },
    {
      input: { group_id: 12345, message: [{ data: { text: 'hi' } }] },
      message: expect.stringMatching(/^message\[0\]\.type: required field is missing \(expected one of "text", /) as unknown as string,
    },
    {
      input: { group_id: 12345, message: [{ type: 'image', data: { uri: 'file:///a', sub_type: 'gif' } }] },
      message: 'message[0].data.sub_type: expected one of "normal", "sticker", got the string "gif"',
    },
    {
      input: { group_id: 12345, message: [{ type: 'reply', data: { message_seq: -1 } }] },
      message: 'message[0].data.message_seq: expected an integer from 0 to 9007199254740991, got the number -1',
    },
    {
      input: { group_id: 12345, message: [{ type: 'face', data: { face_id: '1', is_large: 'yes' } }] },
      message: 'message[0].data.is_large: expected a boolean, got the string "yes"',
    },
  ];

  test.each(table)('$message', ({ input, message }) => {
    expect(send.check(input)).toBe(false);
    expect(send.issues(input)[0]?.message).toEqual(message);
  });

  test('unknown input fields are ignored; unknown output fields are reported', () => {
    expect(send.check({ group_id: 12345, message: [], echo: 'x' })).toBe(true);
    const output = apiValidators('send_group_message').output;
    expect(output.issues({ message_seq: 1, time: 2, extra: true })).toEqual([
      {
        pointer: '/extra',
        path: 'extra',
        expected: 'no such field',
        received: 'true',
        message: 'extra: unexpected field',
      },
    ]);
  });

  test('keys that are not identifiers are quoted in paths, escaped in pointers', () => {
    const output = apiValidators('get_login_info').output;
    const [first] = output.issues({ uin: 10001, nickname: 'n', 'a/b c': 1 });
    expect(first?.path).toBe('["a/b c"]');
    expect(first?.pointer).toBe('/a~1b c');
  });

  test('parse throws a MilkyValidationError naming the subject and counting further issues', () => {
    try {
      send.parse({ group_id: 1, message: 2 }, 'send_group_message input');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MilkyValidationError);
      const failure = error as MilkyValidationError;
      expect(failure.name).toBe('MilkyValidationError');
      expect(failure.message).toBe(
        'send_group_message input: group_id: expected an integer from 10001 to 4294967295, got the number 1 (and 1 more)',
      );
      expect(failure.issues).toHaveLength(2);
    }
  });

  test('issues stop at the limit', () => {
    const input = { group_id: 12345, message: Array.from({ length: 50 }, () => ({ type: 'text', data: {} })) };
    expect(send.issues(input, 5)).toHaveLength(5);
    expect(send.issues(input)).toHaveLength(20);
  });
});

/** A small deterministic generator (mulberry32), so that failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const replacements: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 60, 10000, 'x', '', true, [], {}, { type: 'text' }, [1]];

/** Replaces one random node of a JSON tree. */
function mutateRandomly(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value);
  const nodes: Array<{ parent: Record<string | number, unknown>; key: string | number }> = [];
  const collect = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      const parent = node as Record<string, unknown>;
      nodes.push({ parent, key: Array.isArray(node) ? Number(key) : key });
      collect(parent[key]);
    }
  };
  collect(copy);
  const chosen = nodes[Math.floor(next() * nodes.length)];
  if (!chosen) return replacements[Math.floor(next() * replacements.length)];
  const replacement = replacements[Math.floor(next() * replacements.length)];
  if (replacement === undefined && !Array.isArray(chosen.parent)) delete chosen.parent[chosen.key];
  else chosen.parent[chosen.key] = structuredClone(replacement);
  return copy;
}

describe('explanations agree with the compiled checks', () => {
  const subjects: Array<{ schema: TSchema; tag?: string }> = [
    ...Object.values(apis).flatMap((api) => [{ schema: api.input as TSchema }, { schema: api.output as TSchema }]),
    ...Object.keys(events).map((tag) => ({ schema: Event as TSchema, tag })),
  ];

  test.each(['strict', 'lenient'] as const)('%s: a value fails the check exactly when it has issues', (mode) => {
    const next = random(mode === 'strict' ? 1 : 2);
    let failures = 0;
    for (let round = 0; round < 4000; round++) {
      const subject = subjects[Math.floor(next() * subjects.length)] as (typeof subjects)[number];
      const check = validator(subject.schema as never, mode);
      const base = sample(subject.schema, { full: next() < 0.5, ...(subject.tag ? { tag: subject.tag } : {}) });
      const value = mutateRandomly(base, next);
      const passes = check.check(value);
      const issues = check.issues(value);
      expect(issues.length === 0, JSON.stringify(value)).toBe(passes);
      if (!passes) failures++;
    }
    expect(failures).toBeGreaterThan(1000);
  });
});
