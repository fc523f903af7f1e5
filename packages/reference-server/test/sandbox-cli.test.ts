import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runSandboxCli } from '../src/sandbox/cli.ts';
import { png, start } from './helpers.ts';

/** Runs the command with `--json`, the output scripts read (sandbox-cli-output.test.ts covers the readable one). */
async function sandboxCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runSandboxCli(['--json', ...argv], env, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

describe('milky-sandbox', () => {
  test('plays people in the world from the command line', async () => {
    await using t = await start({ controlToken: 'ctl' });
    const env = { MILKY_SANDBOX_URL: t.server.world.links.origin, MILKY_CONTROL_TOKEN: 'ctl' };
    const dir = await mkdtemp(join(tmpdir(), 'milky-sandbox-'));
    await writeFile(join(dir, 'cat.png'), png(7).bytes);
    await writeFile(join(dir, 'notes.txt'), 'some notes');

    const said = await sandboxCli(
      ['as', '10002', 'say', 'hello', 'there', '--group', '20001', '--reply', '3', '--mention', '10001', '--image', join(dir, 'cat.png')],
      env,
    );
    expect(said).toMatchObject({ code: 0, err: '' });
    const { message_seq } = JSON.parse(said.out) as { message_seq: number };
    const { message } = await t.client.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq });
    expect(message.segments.map((segment) => segment.type)).toEqual(['reply', 'mention', 'text', 'image']);
    expect(message.segments[2]).toEqual({ type: 'text', data: { text: ' hello there' } });

    const steps: Array<[string[], string]> = [
      [['as', '10002', 'say', 'hi bot'], 'message_receive'],
      [['as', '10002', 'nudge'], 'friend_nudge'],
      [['as', '10006', 'mute', '10001', '600', '--group', '20003'], 'group_mute'],
      [['as', '10006', 'whole_mute', 'on', '-g', '20003'], 'group_whole_mute'],
      [['as', '10007', 'rename_group', 'Weekend', 'chat', '--group', '20003'], 'group_name_change'],
      [['as', '10006', 'set_admin', '10003', 'on', '--group', '20003'], 'group_admin_change'],
      [['as', '10007', 'essence', '1', 'on', '--group', '20003'], 'group_essence_message_change'],
      [['as', '10002', 'react', '1', '👍', '--group', '20001', '--reaction-type', 'emoji'], 'group_message_reaction'],
      [['as', '10008', 'friend_request', 'hello', 'bot'], 'friend_request'],
      [['as', '10007', 'join-request', '--is_filtered', '20001', 'please'], 'group_join_request'],
      [['as', '10003', 'invite', '10005', '--group', '20001'], 'group_invited_join_request'],
      [['as', '10009', 'invite_bot', '20004', '--source', '20001'], 'group_invitation'],
      [['as', '10009', 'join', '20002'], 'group_member_increase'],
      [['as', '10009', 'leave', '20002'], 'group_member_decrease'],
      [['as', '10002', 'upload', join(dir, 'notes.txt'), '--group', '20001'], 'group_file_upload'],
      [['as', '10002', 'upload', join(dir, 'notes.txt'), '--file_name', 'renamed.txt'], 'friend_file_upload'],
      [['as', '10002', 'recall', String(message_seq), '--group', '20001'], 'message_recall'],
      [['as', '10002', 'say', '**bold**', 'news', '--markdown', '--group', '20001'], 'message_receive'],
      [['as', '10005', 'disband', '20002'], 'group_disband'],
      [['pin', 'group', '20001', 'on'], 'peer_pin_change'],
      [['as', '10006', 'kick', '10001', '--group', '20003'], 'group_member_decrease'],
      [['offline', 'maintenance'], 'bot_offline'],
    ];
    for (const [argv, type] of steps) {
      const before = t.events.length;
      const result = await sandboxCli(argv, env);
      expect(result.err, argv.join(' ')).toBe('');
      expect(result.code).toBe(0);
      expect(
        t.events.slice(before).map((event) => event.event_type),
        argv.join(' '),
      ).toContain(type);
    }
    expect(t.sent('friend_file_upload')[0]?.data.file_name).toBe('renamed.txt');
    // A yes-or-no flag stands alone before the words: `--is_filtered 20001` does not take 20001 as its value.
    expect(t.sent('group_join_request').at(-1)?.data).toMatchObject({
      group_id: 20001,
      initiator_id: 10007,
      is_filtered: true,
      comment: 'please',
    });
    expect(t.sent('message_receive').flatMap((event) => event.data.segments.filter((segment) => segment.type === 'markdown'))).toEqual([
      { type: 'markdown', data: { content: '**bold** news' } },
    ]);
    expect((await sandboxCli(['online'], env)).code).toBe(0);
    await expect(t.client.api.get_group_info({ group_id: 20002 })).rejects.toMatchObject({ retcode: -404 });

    const created = await sandboxCli(['create_user', 'Judy', '--user_id', '10020'], env);
    expect(JSON.parse(created.out)).toEqual({ user_id: 10020 });
    expect((await sandboxCli(['befriend', '10020'], env)).code).toBe(0);
    const group = await sandboxCli(['create_group', 'Judy', 'club', '--owner', '10020', '--members', '10001,10002'], env);
    expect(JSON.parse(group.out)).toEqual({ group_id: 20005 });
    expect((await t.client.api.get_group_info({ group_id: 20005 })).group.group_name).toBe('Judy club');
    const world = JSON.parse((await sandboxCli(['world'], env)).out) as { users: unknown[] };
    expect(world.users).toHaveLength(10); // the nine of the demo world, and Judy
    const history = JSON.parse((await sandboxCli(['messages', 'friend', '10002', '--limit', '2'], env)).out) as { messages: unknown[] };
    expect(history.messages).toHaveLength(2);
  });

  test('wrong command lines and refused actions say why', async () => {
    await using t = await start({ controlToken: 'ctl' });
    const env = { MILKY_SANDBOX_URL: t.server.world.links.origin, MILKY_CONTROL_TOKEN: 'ctl' };
    const cases: Array<[string[], number, RegExp]> = [
      [['as', 'alice', 'say', 'x'], 2, /as: expected a QQ number, got "alice"/],
      [['as', '10002', 'dance'], 2, /unknown action "dance": the actions are create_user, .*, and watch/],
      [['as', '10002', 'create_user', 'x'], 2, /create_user is not played by someone/],
      [['as', '10002', 'mute', '10003', '60'], 2, /mute needs --group_id/],
      [['as', '10002', 'mute', '10003', 'long', '--group', '20001'], 2, /duration: expected a number, got "long"/],
      [['as', '10002', 'kick', '10003', '10004', '--group', '20001'], 2, /kick takes no more words: "10004"/],
      [['as', '10002', 'whole-mute', 'maybe', '--group', '20001'], 2, /is_mute: expected on or off/],
      [['as', '10002', 'say', 'x', '--bogus'], 2, /say has no field bogus: it takes --as, --group_id, --via_group_id, --message/],
      [['as', '10002', 'nudge', '--group'], 2, /--group_id needs a value/],
      [['pin', 'chat', '10002', 'on'], 2, /message_scene: expected friend, group, temp, got "chat"/],
      [['as', '10002', 'say', '--image', '/nowhere.png'], 2, /cannot read \/nowhere\.png: ENOENT/],
      [['fly'], 2, /unknown action "fly"/],
      [['as', '10003', 'mute', '10002', '60', '--group', '20001'], 1, /owner or an admin.*\[retcode -405\]/],
      [['as', '10008', 'say', 'hi'], 1, /not a friend of the bot \[retcode -404\]/],
    ];
    for (const [argv, code, message] of cases) {
      const result = await sandboxCli(argv, env);
      expect(result.code, argv.join(' ')).toBe(code);
      expect(result.err, argv.join(' ')).toMatch(message);
    }
    const refused = await sandboxCli(['world'], { ...env, MILKY_CONTROL_TOKEN: 'wrong' });
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.err).toMatch(/HTTP 401: the sandbox needs its control token\n$/);
    expect(refused.err).not.toMatch(/retcode/);
    expect((await sandboxCli(['world'], { MILKY_SANDBOX_URL: env.MILKY_SANDBOX_URL, MILKY_DATA: '/nowhere' })).code).toBe(2);
    const help = await sandboxCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.out).toContain('as <uin> say <message...> [--group_id N] [--via_group_id N]');
  });
});
