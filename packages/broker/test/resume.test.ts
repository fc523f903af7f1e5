import { describe, expect, test } from 'vitest';
import { gapAfter } from '../src/resume.ts';

describe('what a reconnection missed, from the SSE ids', () => {
  test.each([
    ['run-5', 'run-6', 0],
    ['run-5', 'run-9', 3],
    ['run-5', 'run-5', 0],
    ['a-b-5', 'a-b-7', 1],
    ['run-5', 'other-1', 'unknown'],
    ['run-5', undefined, 'unknown'],
    ['run-x', 'run-7', 'unknown'],
  ] as const)('%s then %s: %s', (before, after, expected) => {
    expect(gapAfter(before, after)).toBe(expected);
  });
});
