// A sandbox action is one entry of one table: the command line's help, `GET /control` and the
// typed client all list exactly the table's actions, with the table's fields.

import { type MilkySchema, validator } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { type ActionName, actionNames, actions, SandboxClient } from '../src/index.ts';
import { runSandboxCli } from '../src/sandbox/cli.ts';
import { base64Uri, start } from './helpers.ts';

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

  test('every action answers in the shape its entry declares', async () => {
    await using t = await start({ controlToken });
    const sandbox = new SandboxClient({ url: t.world.links.origin, token: controlToken });
    const ran: ActionName[] = [];
    /** Runs an action through the client and checks its answer against the table's output schema. */
    const check = async <T>(name: ActionName, call: Promise<T>): Promise<T> => {
      const output = await call;
      expect(validator(actions[name].output as unknown as MilkySchema<unknown>).issues(output), name).toEqual([]);
      ran.push(name);
      return output;
    };
    const alice = sandbox.as(10002);
    const owner = sandbox.as(10006);
    await check('create_user', sandbox.actions.create_user({ nickname: 'Ivan' }));
    await check('befriend', sandbox.actions.befriend({ user_id: 10006 }));
    await check('create_group', sandbox.actions.create_group({ name: 'New', owner_id: 10002, members: [{ user_id: 10003 }] }));
    const { message_seq } = await check('say', alice.say({ message: 'hello', group_id: 20001 }));
    await check('react', alice.react({ group_id: 20001, message_seq, reaction: '76' }));
    await check('essence', alice.essence({ group_id: 20001, message_seq }));
    await check('recall', alice.recall({ group_id: 20001, message_seq }));
    await check('nudge', alice.nudge({}));
    await check('friend_request', sandbox.as(10008).friend_request({ comment: 'hi' }));
    await check('join_request', sandbox.as(10008).join_request({ group_id: 20002 }));
    await check('invite', sandbox.as(10003).invite({ group_id: 20001, user_id: 10007 }));
    await check('invite_bot', sandbox.as(10009).invite_bot({ group_id: 20004 }));
    await check('join', sandbox.as(10009).join({ group_id: 20002 }));
    await check('leave', sandbox.as(10009).leave({ group_id: 20002 }));
    await check('mute', owner.mute({ group_id: 20003, user_id: 10001, duration: 60 }));
    await check('whole_mute', owner.whole_mute({ group_id: 20003, is_mute: true }));
    await check('rename_group', owner.rename_group({ group_id: 20003, new_group_name: 'renamed' }));
    await check('set_admin', owner.set_admin({ group_id: 20003, user_id: 10003 }));
    await check('kick', owner.kick({ group_id: 20003, user_id: 10003 }));
    const { file_id } = await check('upload', alice.upload({ file_name: 'a.txt', file_uri: base64Uri('a file'), group_id: 20001 }));
    await check('file_url', sandbox.actions.file_url({ file_id }));
    const forward = await alice.say({
      message: [
        {
          type: 'forward',
          data: { messages: [{ user_id: 10003, sender_name: 'Bob', segments: [{ type: 'text', data: { text: 'inside' } }] }] },
        },
      ],
      group_id: 20001,
    });
    const page = await sandbox.actions.messages({
      message_scene: 'group',
      peer_id: 20001,
      start_message_seq: forward.message_seq,
      limit: 1,
    });
    const segment = page.messages[0]?.segments[0];
    if (segment?.type !== 'forward') throw new Error(`expected a forward segment, got ${JSON.stringify(segment)}`);
    const bundle = await check('forwarded_messages', sandbox.actions.forwarded_messages({ forward_id: segment.data.forward_id }));
    expect(bundle.messages).toMatchObject([{ sender_name: 'Bob', segments: [{ type: 'text', data: { text: 'inside' } }] }]);
    const listing = await check('group_files', sandbox.actions.group_files({ group_id: 20001 }));
    expect(listing.files.map((file) => file.file_name)).toContain('a.txt');
    await check('pin', sandbox.actions.pin({ message_scene: 'friend', peer_id: 10002, is_pinned: true }));
    await check('messages', sandbox.actions.messages({ message_scene: 'group', peer_id: 20001, limit: 3 }));
    const world = await check('world', sandbox.actions.world({}));
    expect(world.groups.find((group) => group.group_id === 20003)).toMatchObject({ is_mute: true });
    await check('disband', owner.disband({ group_id: 20003 }));
    await check('offline', sandbox.actions.offline({ reason: 'checked' }));
    await check('online', sandbox.actions.online({}));
    expect([...ran].sort()).toEqual([...actionNames].sort());
  });
});
