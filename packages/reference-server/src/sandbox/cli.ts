#!/usr/bin/env node
// `milky-sandbox`: play anyone in a reference server's world from a shell or a script.
//
//   milky-sandbox as 10002 say "hello" --group 20001
//   milky-sandbox as 10006 mute 10001 600 --group 20003
//   milky-sandbox watch

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SandboxClient, type SayContent, type Where } from './client.ts';

export const sandboxHelp = `milky-sandbox: play everyone other than the bot in a Milky reference server

Usage: milky-sandbox [--url URL] [--token TOKEN] <command>

  --url     the reference server (default http://127.0.0.1:3000)          MILKY_SANDBOX_URL
  --token   its control token (default: read from ./milky-data/control-token) MILKY_CONTROL_TOKEN

As someone (chats are the actor's chat with the bot unless --group G, or --via G for a
temporary chat through group G):
  as <uin> say <text> [--reply SEQ] [--mention UIN]... [--image FILE]... [--face ID] [--markdown]
                                            --markdown sends the text as a Markdown segment
  as <uin> recall <seq>
  as <uin> nudge [--target UIN]             the bot, or in --group anyone
  as <uin> request-friend [comment] [--filtered]
  as <uin> request-join <group> [comment] [--filtered]
  as <uin> invite <user> --group G          an admin's invitation takes effect at once
  as <uin> invite-bot <group> [--from G]
  as <uin> join <group>
  as <uin> leave <group>
  as <uin> disband <group>                  the owner disbands it
  as <uin> kick <user> --group G [--block]  the bot too
  as <uin> mute <user> <seconds> --group G  0 lifts the mute
  as <uin> whole-mute on|off --group G
  as <uin> rename-group <name> --group G
  as <uin> admin <user> on|off --group G
  as <uin> essence <seq> on|off --group G
  as <uin> react <seq> <face-id-or-emoji> --group G [--remove]
  as <uin> upload <file> [--name NAME]      in --group G, or the chat with the bot

The world:
  create-user <nickname> [--id UIN]
  create-group <name> --owner UIN [--members UIN,UIN...] [--id G]
  befriend <uin>
  pin friend|group|temp <peer> on|off       as the bot on another device
  offline [reason]                          the bot goes offline (APIs answer -403)
  online
  world                                     everyone, the friends, the groups and their members
  history friend|group|temp <peer> [--limit N]
  watch                                     print events and messages as they happen

Results print as JSON; failures print the reason and exit with 1 (2 for a wrong command line).
`;

export interface SandboxCliOutput {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

function uin(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 10001)
    throw new UsageError(`${what}: expected a QQ number, got ${JSON.stringify(value ?? '')}`);
  return Number(value);
}

function count(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${what}: expected a number, got ${JSON.stringify(value ?? '')}`);
  return Number(value);
}

function onOff(value: string | undefined, what: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`${what}: expected on or off, got ${JSON.stringify(value ?? '')}`);
}

function scene(value: string | undefined): 'friend' | 'group' | 'temp' {
  if (value === 'friend' || value === 'group' || value === 'temp') return value;
  throw new UsageError(`expected friend, group or temp, got ${JSON.stringify(value ?? '')}`);
}

/** A local file as `base64://` (so that the server may be elsewhere); URIs pass as they are. */
function fileUri(path: string): string {
  if (/^(https?|base64|file):\/\//.test(path)) return path;
  try {
    return `base64://${readFileSync(path).toString('base64')}`;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function defaultToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MILKY_CONTROL_TOKEN) return env.MILKY_CONTROL_TOKEN;
  try {
    return readFileSync(resolve(env.MILKY_DATA || 'milky-data', 'control-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs one command line; resolves with the exit code. */
export async function runSandboxCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: SandboxCliOutput,
  signal?: AbortSignal,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    output.err(
      `milky-sandbox: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\nRun milky-sandbox --help for the commands.\n`,
    );
    return 2;
  }
  const { values: flags, positionals: words } = parsed;
  if (flags.help || words.length === 0) {
    output.out(sandboxHelp);
    return flags.help ? 0 : 2;
  }
  const token = flags.token ?? defaultToken(env);
  if (!token) {
    output.err('milky-sandbox: no control token: pass --token, set MILKY_CONTROL_TOKEN, or run where milky-data/control-token is\n');
    return 2;
  }
  const client = new SandboxClient({ url: flags.url ?? env.MILKY_SANDBOX_URL ?? 'http://127.0.0.1:3000', token });
  const print = (value: unknown) =>
    output.out(
      `${JSON.stringify(value ?? {}, null, value && typeof value === 'object' && Object.keys(value).length > 4 ? 2 : undefined)}\n`,
    );
  try {
    const group = flags.group === undefined ? undefined : uin(flags.group, '--group');
    const to: Where = { ...(group === undefined ? {} : { group }), ...(flags.via === undefined ? {} : { via: uin(flags.via, '--via') }) };
    const needGroup = () => {
      if (group === undefined) throw new UsageError(`${words[2]} needs --group`);
      return group;
    };
    const [first, ...rest] = words;
    if (first === 'as') {
      const actor = client.as(uin(rest[0], 'as'));
      const [verb, a, b] = rest.slice(1);
      switch (verb) {
        case 'say': {
          if (flags.markdown) {
            const content = rest.slice(2).join(' ');
            if (!content) throw new UsageError('say --markdown needs the Markdown text');
            print(await actor.say([{ type: 'markdown', data: { content } }], to));
            break;
          }
          const segments: Exclude<SayContent, string>[number][] = [];
          if (flags.reply) segments.push({ type: 'reply', data: { message_seq: count(flags.reply, '--reply') } });
          for (const mention of flags.mention ?? []) segments.push({ type: 'mention', data: { user_id: uin(mention, '--mention') } });
          const text = rest.slice(2).join(' ');
          if (text) segments.push({ type: 'text', data: { text: segments.length > 0 && flags.mention?.length ? ` ${text}` : text } });
          if (flags.face) segments.push({ type: 'face', data: { face_id: flags.face } });
          for (const image of flags.image ?? []) segments.push({ type: 'image', data: { uri: fileUri(image) } });
          if (segments.length === 0) throw new UsageError('say needs text, --image, --face or --mention');
          print(await actor.say(segments, to));
          break;
        }
        case 'recall':
          print(await actor.recall(count(a, 'recall'), to));
          break;
        case 'nudge':
          print(
            await actor.nudge({
              ...(group === undefined ? {} : { group }),
              ...(flags.target ? { target: uin(flags.target, '--target') } : {}),
            }),
          );
          break;
        case 'request-friend':
          print(await actor.requestFriendship(rest.slice(2).join(' '), { filtered: flags.filtered ?? false }));
          break;
        case 'request-join':
          print(await actor.requestJoin(uin(a, 'request-join'), rest.slice(3).join(' '), { filtered: flags.filtered ?? false }));
          break;
        case 'invite':
          print(await actor.invite(needGroup(), uin(a, 'invite')));
          break;
        case 'invite-bot':
          print(await actor.inviteBot(uin(a, 'invite-bot'), flags.from ? uin(flags.from, '--from') : undefined));
          break;
        case 'join':
          print(await actor.join(uin(a, 'join')));
          break;
        case 'leave':
          print(await actor.leave(uin(a, 'leave')));
          break;
        case 'disband':
          print(await actor.disband(uin(a, 'disband')));
          break;
        case 'kick':
          print(await actor.kick(needGroup(), uin(a, 'kick'), flags.block ?? false));
          break;
        case 'mute':
          print(await actor.mute(needGroup(), uin(a, 'mute'), count(b, 'seconds')));
          break;
        case 'whole-mute':
          print(await actor.wholeMute(needGroup(), onOff(a, 'whole-mute')));
          break;
        case 'rename-group':
          print(await actor.renameGroup(needGroup(), rest.slice(2).join(' ')));
          break;
        case 'admin':
          print(await actor.setAdmin(needGroup(), uin(a, 'admin'), onOff(b, 'admin')));
          break;
        case 'essence':
          print(await actor.essence(needGroup(), count(a, 'essence'), onOff(b, 'essence')));
          break;
        case 'react':
          if (!b) throw new UsageError('react needs a face ID or an emoji');
          print(await actor.react(needGroup(), count(a, 'react'), b, { emoji: !/^\d+$/.test(b), remove: flags.remove ?? false }));
          break;
        case 'upload': {
          if (!a) throw new UsageError('upload needs a file');
          const name = flags.name ?? a.split(/[\\/]/).pop() ?? a;
          print(
            await actor.upload(name, fileUri(a), {
              ...(group === undefined ? {} : { group }),
              ...(flags.folder ? { folder: flags.folder } : {}),
            }),
          );
          break;
        }
        default:
          throw new UsageError(`unknown action ${JSON.stringify(verb ?? '')} for as <uin>`);
      }
      return 0;
    }
    const [a, b, c] = rest;
    switch (first) {
      case 'create-user':
        print(
          await client.run('create_user', {
            nickname: rest.join(' ') || 'New user',
            ...(flags.id ? { user_id: uin(flags.id, '--id') } : {}),
          }),
        );
        break;
      case 'create-group': {
        if (!flags.owner) throw new UsageError('create-group needs --owner');
        const members = (flags.members ?? '')
          .split(',')
          .filter(Boolean)
          .map((member) => ({ user_id: uin(member.trim(), '--members') }));
        print(
          await client.run('create_group', {
            name: rest.join(' ') || 'New group',
            owner_id: uin(flags.owner, '--owner'),
            members,
            ...(flags.id ? { group_id: uin(flags.id, '--id') } : {}),
          }),
        );
        break;
      }
      case 'befriend':
        print(await client.run('befriend', { user_id: uin(a, 'befriend') }));
        break;
      case 'pin':
        print(await client.run('pin', { scene: scene(a), peer_id: uin(b, 'pin'), pinned: onOff(c, 'pin') }));
        break;
      case 'offline':
        print(await client.run('offline', { reason: rest.join(' ') || 'logged out from the sandbox' }));
        break;
      case 'online':
        print(await client.run('online', {}));
        break;
      case 'world':
        print(await client.run('world', {}));
        break;
      case 'history':
        print(
          await client.run('messages', {
            scene: scene(a),
            peer_id: uin(b, 'history'),
            limit: flags.limit ? count(flags.limit, '--limit') : 20,
          }),
        );
        break;
      case 'watch':
        for await (const item of client.stream(signal))
          output.out(`${JSON.stringify(item.kind === 'milky' ? item.event : { message: item.message })}\n`);
        break;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(first)}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`milky-sandbox: ${error.message}\nRun milky-sandbox --help for the commands.\n`);
      return 2;
    }
    const retcode = (error as { retcode?: number }).retcode;
    const cause = ((error as Error).cause as Error | undefined)?.message;
    output.err(
      `milky-sandbox: ${(error as Error).message}${cause ? ` (${cause})` : ''}${retcode === undefined ? '' : ` [retcode ${retcode}]`}\n`,
    );
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      group: { type: 'string', short: 'g' },
      via: { type: 'string' },
      reply: { type: 'string' },
      mention: { type: 'string', multiple: true },
      image: { type: 'string', multiple: true },
      face: { type: 'string' },
      markdown: { type: 'boolean' },
      target: { type: 'string' },
      from: { type: 'string' },
      filtered: { type: 'boolean' },
      block: { type: 'boolean' },
      remove: { type: 'boolean' },
      name: { type: 'string' },
      folder: { type: 'string' },
      id: { type: 'string' },
      owner: { type: 'string' },
      members: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  runSandboxCli(
    process.argv.slice(2),
    process.env,
    { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
    abort.signal,
  ).then((code) => {
    process.exitCode = code;
  });
}
