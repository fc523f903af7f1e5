// A sandbox action is one entry of one table: the command line's help, `GET /control` and the
// typed client all list exactly the table's actions, with the table's fields.

import { describe, expect, test } from 'vitest';
import { actionNames, actions, SandboxClient } from '../src/index.ts';
import { runSandboxCli } from '../src/sandbox/cli.ts';
import { start } from './helpers.ts';

const controlToken = 'control-token';

async function help(): Promise<string> {
  let out = '';
  await runSandboxCli(['--help'], {}, { out: (text) => (out += text), err() {} });
  return out;
}

describe('the action table', () => {
  test('GET /control and /control/ list every action with the JSON Schema of its input and output', async () => {
    await using t = await start({ controlToken });
    for (const path of ['/control', '/control/']) {
      const response = await fetch(`${t.world.links.origin}${path}`, { headers: { authorization: `Bearer ${controlToken}` } });
      expect(response.status, path).toBe(200);
      const { actions: listed } = (await response.json()) as {
        actions: Record<string, { help: string; input: { type: string; properties: object }; output: { type: string } }>;
      };
      expect(Object.keys(listed)).toEqual(actionNames);
      for (const name of actionNames) {
        expect(listed[name]?.help, name).toBe(actions[name].help);
        expect(listed[name]?.input.type, name).toBe('object');
        expect(Object.keys(listed[name]?.input.properties ?? {}), name).toEqual(Object.keys(actions[name].input.properties));
        expect(listed[name]?.output.type, name).toBe('object');
      }
    }
    const anonymous = await fetch(`${t.world.links.origin}/control`);
    expect(anonymous.status).toBe(401);
    const posted = await fetch(`${t.world.links.origin}/control`, { method: 'POST', headers: { authorization: `Bearer ${controlToken}` } });
    expect(posted.status).toBe(405);
  });

  test('the command line has a verb, and the help a usage, for each action and nothing else', async () => {
    const text = await help();
    const verbs = [...text.matchAll(/^ {2}(?:as <uin> )?([a-z_]+)(?= |$)/gm)].map((match) => match[1]);
    expect(verbs).toEqual([...actionNames, 'watch']);
    for (const name of actionNames) {
      expect(text, name).toContain(actions[name].help);
      for (const field of Object.keys(actions[name].input.properties).filter((key) => key !== 'as'))
        expect(text, `${name}.${field}`).toMatch(new RegExp(`^ {2}(?:as <uin> )?${name} .*(<${field}(\\.\\.\\.)?>|--${field} )`, 'm'));
    }
  });

  test('the typed client has a method for each action, and `as()` one for each action someone plays', () => {
    const client = new SandboxClient({ url: 'http://127.0.0.1:1', token: 'unused' });
    expect(Object.keys(client.actions)).toEqual(actionNames);
    expect(Object.isFrozen(client.actions)).toBe(true);
    expect(Object.keys(client.as(10002))).toEqual(actionNames.filter((name) => 'as' in actions[name].input.properties));
  });
});
