// Every API input and output and every event: valid samples pass; each mutation that breaks the
// protocol fails with an issue at the mutated place; lenient mode lets through only what it should.

import type { TSchema } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { apis, Event, events, validator } from '../src/index.ts';
import { mutate, sample, slots } from './samples.ts';

interface Subject {
  readonly name: string;
  readonly schema: TSchema;
  readonly tag?: string;
}

const subjects: Subject[] = [
  ...Object.values(apis).flatMap((api) => [
    { name: `${api.name} input`, schema: api.input as TSchema },
    { name: `${api.name} output`, schema: api.output as TSchema },
  ]),
  ...Object.keys(events).map((tag) => ({ name: `event ${tag}`, schema: Event as TSchema, tag })),
];

describe.each(subjects)('$name', ({ schema, tag }) => {
  const strict = validator(schema as never, 'strict');
  const lenient = validator(schema as never, 'lenient');
  const full = sample(schema, { full: true, ...(tag ? { tag } : {}) });
  const minimal = sample(schema, { full: false, ...(tag ? { tag } : {}) });

  test('valid samples pass in both modes', () => {
    expect(strict.issues(full)).toEqual([]);
    expect(strict.check(full)).toBe(true);
    expect(strict.check(minimal)).toBe(true);
    expect(lenient.check(full)).toBe(true);
    expect(lenient.check(minimal)).toBe(true);
    if (tag) expect((full as { event_type: string }).event_type).toBe(tag);
  });

  test('every mutation fails, with an issue at the mutated place', () => {
    const found = slots(schema, full);
    expect(found.length).toBeGreaterThan(0);
    for (const slot of found) {
      const broken = mutate(full, slot);
      const where = `${slot.mutation} at /${slot.path.join('/')}`;
      expect(strict.check(broken), where).toBe(false);
      const issues = strict.issues(broken);
      expect(issues.length, where).toBeGreaterThan(0);
      expect(issues[0]?.pointer, where).toBe(slot.path.map((segment) => `/${segment}`).join(''));
      expect(lenient.check(broken), `lenient: ${where}`).toBe(slot.lenientAccepts);
    }
  });
});

describe('coverage of the mutations', () => {
  test('uins, enums, required fields, types and tags are all exercised', () => {
    const kinds = new Set<string>();
    for (const { schema, tag } of subjects) {
      for (const slot of slots(schema, sample(schema, { full: true, ...(tag ? { tag } : {}) }))) kinds.add(slot.mutation);
    }
    expect([...kinds].sort()).toEqual(['missing', 'not in enum', 'uin out of range', 'unexpected field', 'unknown tag', 'wrong type']);
  });
});
