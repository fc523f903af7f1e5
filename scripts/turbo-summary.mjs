// What a turbo run really did, from the summary `turbo run --summarize` writes to .turbo/runs/:
// which tasks failed (ran and exited non-zero), and which never ran because a task they depend on
// failed (turbo's `--continue=dependencies-successful` skips them, and leaves them out of the
// summary: they are the tasks of the plan, `turbo run --dry=json`, that the summary lacks; they
// are not failures).
// Plain JavaScript for any Node.js from 18, like toolchain.mjs.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ taskId: string; command?: string; logFile?: string; execution?: { exitCode?: number | null } | null }} SummaryTask
 * @typedef {{ failed: Array<{ task: string; exitCode: number; log: string | undefined }>; notRun: string[]; succeeded: number }} Outcomes
 */

/** The tasks of a plan or a summary that have a command (a package without the script has none). */
function realTasks(run) {
  return /** @type {SummaryTask[]} */ (run?.tasks ?? []).filter((task) => task.command !== '<NONEXISTENT>');
}

/**
 * Sorts the tasks of a run into failed, not run and succeeded, from its summary and (to find the
 * tasks it skipped) its plan. @returns {Outcomes}
 */
export function taskOutcomes(summary, plan = undefined) {
  /** @type {Outcomes} */
  const outcomes = { failed: [], notRun: [], succeeded: 0 };
  const tasks = realTasks(summary);
  for (const task of tasks) {
    const code = task.execution?.exitCode;
    if (typeof code !== 'number') outcomes.notRun.push(task.taskId);
    else if (code === 0) outcomes.succeeded++;
    else outcomes.failed.push({ task: task.taskId, exitCode: code, log: task.logFile });
  }
  const seen = new Set(tasks.map((task) => task.taskId));
  for (const task of realTasks(plan)) if (!seen.has(task.taskId)) outcomes.notRun.push(task.taskId);
  return outcomes;
}

/** The newest run summary in `<root>/.turbo/runs` written at `since` (ms) or later, parsed. */
export function latestSummary(root, since) {
  const dir = join(root, '.turbo', 'runs');
  let newest;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const path = join(dir, name);
      const modified = statSync(path).mtimeMs;
      if (modified >= since && (!newest || modified > newest.modified)) newest = { path, modified };
    }
  } catch {
    return undefined;
  }
  return newest ? JSON.parse(readFileSync(newest.path, 'utf8')) : undefined;
}

/**
 * What to say of a run at the end of `npm test`: a line per failed task, and a note naming the
 * tasks that did not run (they are not failures: a task they depend on failed).
 */
export function describeOutcomes(outcomes) {
  return {
    failed: outcomes.failed.map(({ task, exitCode, log }) => `${task} (exit ${exitCode})${log ? `, output in ${log}` : ''}`),
    notes: outcomes.notRun.length > 0 ? [`not run, because a task they depend on failed: ${outcomes.notRun.join(', ')}`] : [],
  };
}

/**
 * What to print of a failed task's log at the end of `npm test`, so that the end of the output
 * names what failed: vitest's "Failed Tests" section (each failing test with its error), or, for
 * any other tool, the log's last lines; ANSI colours removed, at most `limit` lines.
 */
export function failureExcerpt(text, limit = 60) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what is removed
  const lines = text.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const start = lines.findIndex((line) => /⎯ Failed Tests? \d+ ⎯/.test(line));
  let picked;
  if (start >= 0) {
    const end = lines.findIndex((line, index) => index > start && /^\s*Test Files\s/.test(line));
    picked = lines.slice(start, end < 0 ? undefined : end);
  } else {
    picked = lines.slice(-Math.min(limit, 30));
  }
  while (picked.length > 0 && picked[picked.length - 1].trim() === '') picked.pop();
  if (picked.length <= limit) return picked;
  return [...picked.slice(0, limit - 1), `… ${picked.length - limit + 1} more lines`];
}
