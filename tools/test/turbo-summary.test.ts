// The end of `npm test` (scripts/toolchain.mjs): which tasks of a turbo run really failed. It lives
// with the generator's tests because scripts/ has no package of its own.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain JavaScript, without declarations
import { describeOutcomes, failureExcerpt, latestSummary, taskOutcomes } from '../../scripts/turbo-summary.mjs';

const task = (taskId: string, execution: unknown, command = 'vitest run') => ({
  taskId,
  command,
  logFile: `${taskId.replace(/#.*/, '')}/.turbo/log`,
  execution,
});

describe('turbo run summaries', () => {
  test('failed tasks are those that ran and exited non-zero; skipped ones are only noted', () => {
    const summary = {
      tasks: [
        task('@milky/types#build', { exitCode: 0 }),
        task('@milky/client#test', { exitCode: 1 }),
        task('@milky/server#build', { exitCode: 2 }),
        task('@milky/server#lint:package', null),
        task('@milky/webhook#test', {}),
        task('@milky/spec#build', null, '<NONEXISTENT>'),
      ],
    };
    const plan = { tasks: [...summary.tasks, task('@milky/client#build', null), task('@milky/spec#test', null, '<NONEXISTENT>')] };
    const outcomes = taskOutcomes(summary, plan);
    expect(outcomes).toEqual({
      failed: [
        { task: '@milky/client#test', exitCode: 1, log: '@milky/client/.turbo/log' },
        { task: '@milky/server#build', exitCode: 2, log: '@milky/server/.turbo/log' },
      ],
      notRun: ['@milky/server#lint:package', '@milky/webhook#test', '@milky/client#build'],
      succeeded: 1,
    });
    expect(describeOutcomes(outcomes)).toEqual({
      failed: [
        '@milky/client#test (exit 1), output in @milky/client/.turbo/log',
        '@milky/server#build (exit 2), output in @milky/server/.turbo/log',
      ],
      notes: ['not run, because a task they depend on failed: @milky/server#lint:package, @milky/webhook#test, @milky/client#build'],
    });
  });

  test('a run where everything passed says nothing', () => {
    const run = { tasks: [task('a#test', { exitCode: 0 })] };
    expect(describeOutcomes(taskOutcomes(run, run))).toEqual({ failed: [], notes: [] });
    expect(describeOutcomes(taskOutcomes(run))).toEqual({ failed: [], notes: [] });
  });

  test('the summary read is the newest one written since the run started', () => {
    const root = mkdtempSync(join(tmpdir(), 'milky-turbo-'));
    try {
      const runs = join(root, '.turbo', 'runs');
      mkdirSync(runs, { recursive: true });
      const write = (name: string, seconds: number) => {
        writeFileSync(join(runs, name), JSON.stringify({ id: name }));
        utimesSync(join(runs, name), seconds, seconds);
      };
      write('old.json', 1000);
      write('new.json', 3000);
      write('newer.json', 4000);
      expect(latestSummary(root, 2000 * 1000)).toEqual({ id: 'newer.json' });
      expect(latestSummary(root, 5000 * 1000)).toBeUndefined();
      expect(latestSummary(join(root, 'nowhere'), 0)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("a failed task's excerpt is vitest's Failed Tests section, without colours, or the log's last lines", () => {
    const vitest = [
      ' \u001b[32m✓\u001b[39m test/a.test.ts (3 tests) 20ms',
      ' \u001b[31m❯\u001b[39m test/b.test.ts (2 tests | 1 failed) 30ms',
      '',
      '\u001b[31m⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯\u001b[39m',
      '',
      '\u001b[41m FAIL \u001b[49m test/b.test.ts > the event arrives',
      'AssertionError: expected [ …(1) ] to deeply equal []',
      '',
      ' Test Files  1 failed | 1 passed (2)',
      '      Tests  1 failed | 4 passed (5)',
    ].join('\n');
    expect(failureExcerpt(vitest)).toEqual([
      '⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯',
      '',
      ' FAIL  test/b.test.ts > the event arrives',
      'AssertionError: expected [ …(1) ] to deeply equal []',
    ]);
    // A log ends with a newline (or a few): the last 30 lines are lines of text.
    const other = `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')}\n\n`;
    expect(failureExcerpt(other)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 70}`));
    const long = ['⎯⎯ Failed Tests 2 ⎯⎯', ...Array.from({ length: 100 }, (_, i) => `error ${i}`)].join('\n');
    const cut = failureExcerpt(long, 10);
    expect(cut).toHaveLength(10);
    expect(cut.at(-1)).toBe('… 92 more lines');
  });
});
