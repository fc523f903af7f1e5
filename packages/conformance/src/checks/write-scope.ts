// What the checks of the write APIs share: the chats and groups they act in (fixtures a sandbox
// made, or what the bot already has), and `check`, which skips a check without --write, while the
// bot is logged out, or when what it needs is missing.

import type { Control, Fixtures } from '../control.ts';
import { type Recorder, type Status, skip } from '../report.ts';
import { definedBy, type Rule, rules } from '../rules.ts';
import type { Target } from '../target.ts';
import type { Known } from './read.ts';

export interface WriteOptions {
  readonly write: boolean;
  readonly loggedIn: boolean;
  readonly sandbox: { control: Control; fixtures: Fixtures } | undefined;
}

/** What a check needs to run: a friend, a group, a group the bot administers, or the sandbox's fixtures. */
export type Needs = 'friend' | 'group' | 'admin' | 'fixtures';

/** Where the write checks act, and how each is recorded. */
export interface WriteScope {
  readonly target: Target;
  readonly known: Known;
  /** The bot's QQ number (0 when unknown). */
  readonly self: number;
  readonly friend: number | undefined;
  readonly group: number | undefined;
  /** A group the bot is an admin or the owner of. */
  readonly adminGroup: number | undefined;
  readonly fixtures: Fixtures | undefined;
  readonly control: Control | undefined;
  /** Runs one check of the write APIs, saying what it `changes`, or skips it saying why; resolves with how it went. */
  check(name: string, changes: string, needs: Needs[], run: () => Promise<unknown>, rule?: Rule): Promise<Status>;
  /** An id for the notes, `(none)` when there is none. */
  who(id: number | undefined): string;
}

/** The text every message and file the checks send carries. */
export const marker = 'Milky conformance check';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
/** A 1×1 PNG, as a `base64://` URI. */
export const pngUri = `base64://${png.toString('base64')}`;
/** A text as a `base64://` URI. */
export const textUri = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;

/** The scope of the write checks on `target`. */
export function writeScope(target: Target, recorder: Recorder, known: Known, options: WriteOptions): WriteScope {
  const fixtures = options.sandbox?.fixtures;
  const friend = fixtures?.friend ?? known.friends[0]?.user_id;
  const group = fixtures?.ownGroup ?? known.groups[0]?.group_id;
  const adminGroup = fixtures?.ownGroup ?? [...known.roles].find(([, role]) => role !== 'member')?.[0];
  return {
    target,
    known,
    self: known.self ?? 0,
    friend,
    group,
    adminGroup,
    fixtures,
    control: options.sandbox?.control,
    check: (name, changes, needs, run, rule = rules.behaviour) =>
      recorder.check(
        'write APIs',
        name,
        definedBy(rule, name),
        async () => {
          if (!options.write) throw skip('has side effects; run with --write to check it');
          if (!options.loggedIn) throw skip('the bot is not logged in (-403): results cannot be checked');
          if (needs.includes('fixtures') && !fixtures) {
            throw skip('cannot be undone; runs only on fixtures the suite creates through a sandbox (--control-token)');
          }
          if (needs.includes('friend') && friend === undefined) throw skip('the bot has no friend');
          if (needs.includes('group') && group === undefined) throw skip('the bot is in no group');
          if (needs.includes('admin') && adminGroup === undefined) throw skip('the bot is an admin or owner of no group');
          await run();
        },
        changes,
      ),
    who: (id) => (id === undefined ? '(none)' : String(id)),
  };
}
