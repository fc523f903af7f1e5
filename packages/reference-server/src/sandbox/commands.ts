// The command-line face of each sandbox action: its help line, the words it takes, and the fields
// of its input as `milky-sandbox` reads them. Plain data drawn from the action table, so that the
// command answers `--help` and a wrong command line without building a schema (TypeBox and the
// protocol's validators are loaded only when an action runs). `generated/commands.ts` holds it,
// written by test/sandbox-commands.test.ts, which fails when it disagrees with the table.

import type { Action } from './actions.ts';

/** A field of an action's input as the command line reads it: the part of its JSON Schema that says how to write it. */
export interface CommandField {
  /** The JSON type: `string`, `integer`, `number`, `boolean`, `array`. */
  readonly type?: string;
  /** The values of a field that takes one of some (`friend`, `group`, `temp`). */
  readonly anyOf?: ReadonlyArray<{ readonly const?: unknown }>;
  /** The items of a list; a list of objects with one required field is written as that field's values. */
  readonly items?: { readonly type?: string; readonly required?: readonly string[] };
}

/** One action as the command line knows it. */
export interface ActionCommand {
  /** Its line of help. */
  readonly help: string;
  /** The fields it takes as words, in order; `...field` takes the rest of the line. */
  readonly words: readonly string[];
  /** Every field of its input, in the table's order; each is also a flag. */
  readonly fields: Readonly<Record<string, CommandField>>;
  /** The fields it cannot do without. */
  readonly required: readonly string[];
}

/** What the command line reads of an entry of the table (its runner does not matter here). */
type Entry = Pick<Action, 'help' | 'input' | 'words'>;

/** What the command line reads of a field's schema. */
function fieldOf(schema: Record<string, unknown>): CommandField {
  const { type, anyOf, items } = schema as { type?: string; anyOf?: Array<{ const?: unknown }>; items?: Record<string, unknown> };
  return {
    ...(type === undefined ? {} : { type }),
    ...(anyOf === undefined ? {} : { anyOf: anyOf.map((option) => ({ const: option.const })) }),
    ...(items === undefined
      ? {}
      : {
          items: {
            ...(items.type === undefined ? {} : { type: items.type as string }),
            ...(items.required === undefined ? {} : { required: items.required as string[] }),
          },
        }),
  };
}

/** The command-line face of one entry of the action table. */
export function commandOf(action: Entry): ActionCommand {
  const properties = action.input.properties as Record<string, Record<string, unknown>>;
  return {
    help: action.help,
    words: action.words ?? [],
    fields: Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, fieldOf(schema)])),
    required: (action.input.required as string[] | undefined) ?? [],
  };
}

/** The source of `generated/commands.ts`: the command-line face of every action of `table`, in its order. */
export function commandsModule(table: Readonly<Record<string, Entry>>): string {
  // One line per action, so that a change to the table shows in a diff under the action's name.
  const entries = Object.entries(table).map(([name, action]) => `  ${JSON.stringify(name)}: ${JSON.stringify(commandOf(action))},`);
  return [
    '// Generated from the action table (src/sandbox/actions.ts) by test/sandbox-commands.test.ts. Do not edit: change',
    '// the table and run `pnpm --filter @milky/reference-server exec vitest run sandbox-commands -u`.',
    '',
    "import type { ActionName } from '../actions.ts';",
    "import type { ActionCommand } from '../commands.ts';",
    '',
    "/** Every sandbox action as the command line knows it, by name, in the table's order. */",
    'export const commands: { readonly [N in ActionName]: ActionCommand } = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}
