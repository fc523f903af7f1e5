// The APIs with side effects: run only with --write, each with a note of what it changes. Those
// that cannot be undone (removing a friend, leaving a group, answering requests) run only on
// fixtures the suite creates through a sandbox; elsewhere they are skipped, saying why.

import type { Recorder } from '../report.ts';
import type { Target } from '../target.ts';
import type { Known } from './read.ts';
import { fixtureChecks } from './write-fixtures.ts';
import { friendChecks } from './write-friend.ts';
import { groupChecks } from './write-group.ts';
import { type WriteOptions, writeScope } from './write-scope.ts';

export type { WriteOptions } from './write-scope.ts';

export async function writeChecks(target: Target, recorder: Recorder, known: Known, options: WriteOptions): Promise<void> {
  const scope = writeScope(target, recorder, known, options);
  await friendChecks(scope);
  await groupChecks(scope);
  await fixtureChecks(scope);
}
