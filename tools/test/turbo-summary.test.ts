// The end of `npm test` (scripts/toolchain.mjs): which tasks of a turbo run really failed. It lives
// with the generator's tests because scripts/ has no package of its own.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain JavaScript, without declarations
import { describeOutcomes, latestSummary, taskOutcomes } from '../../scripts/turbo-summary.mjs';

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
});
