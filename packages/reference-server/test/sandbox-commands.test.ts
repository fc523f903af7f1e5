// `milky-sandbox` reads the action table's plain-data face (src/sandbox/generated/commands.ts), so
// that its help answers without TypeBox. That copy is derived from the table: this test fails when
// they disagree (an action added, a field or a help line changed), and `-u` writes it anew.

import { expect, test } from 'vitest';
import { actionNames, actions } from '../src/sandbox/actions.ts';
import { commandOf, commandsModule } from '../src/sandbox/commands.ts';
import { commands } from '../src/sandbox/generated/commands.ts';

test('generated/commands.ts is the command-line face of the action table', async () => {
  await expect(commandsModule(actions)).toMatchFileSnapshot('../src/sandbox/generated/commands.ts');
});

test('the command line knows every action of the table, by name, with its fields, words and help', () => {
  expect(Object.keys(commands)).toEqual(actionNames);
  for (const name of actionNames) expect(commands[name], name).toEqual(commandOf(actions[name]));
});
