#!/usr/bin/env node
// `milky-sandbox`: play anyone in a reference server's world from a shell or a script. Its verbs
// are the sandbox's action names, its flags the fields of their inputs, and its help is made from
// the action table.
//
//   milky-sandbox as 10002 say "hello" --group 20001
//   milky-sandbox as 10006 mute 10001 600 --group 20003
//   milky-sandbox watch

import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ActionName, ActionOutput } from './actions.ts';
import type { SandboxClient } from './client.ts';
import type { CommandField } from './commands.ts';
import { commands } from './generated/commands.ts';
import { namesOf, type PresentOptions, presentChat, presentFields, presentStreamItem, presentWorld } from './present.ts';
import { chatOfSay, watchReplies } from './reply-watch.ts';

export interface SandboxCliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Whether to colour the output (a terminal without `NO_COLOR`); no by default. */
  readonly color?: boolean;
  /** Columns of the terminal; 100 by default. */
  readonly width?: number;
}

class UsageError extends Error {}

/** Flags that build the `message` of an action that sends one, beside the text words. */
const messageFlags: Record<string, { value: string; multiple: boolean; help: string }> = {
  reply: { value: 'SEQ', multiple: false, help: 'reply to a message' },
  mention: { value: 'UIN', multiple: true, help: 'mention someone (repeatable)' },
  image: { value: 'FILE', multiple: true, help: 'attach an image: a file or a URI (repeatable)' },
  face: { value: 'ID', multiple: false, help: 'add a face' },
  markdown: { value: '', multiple: false, help: 'send the text as one Markdown segment' },
};

// The command line reads the table's plain-data face (./commands.ts), never its schemas: help and
// a wrong command line answer without loading TypeBox or the protocol's validators.

/** The names of the actions, in the table's order. */
const actionNames = Object.keys(commands) as ActionName[];

function isActionName(name: string): name is ActionName {
  return Object.hasOwn(commands, name);
}

function properties(name: ActionName): Readonly<Record<string, CommandField>> {
  return commands[name].fields;
}

function required(name: ActionName): readonly string[] {
  return commands[name].required;
}

/** What a field's value looks like on a command line, from its schema. */
function placeholder(schema: CommandField): string {
  if (schema.anyOf) return schema.anyOf.map((option) => String(option.const)).join('|');
  if (schema.type === 'boolean') return 'on|off';
  if (schema.type === 'integer' || schema.type === 'number') return 'N';
  if (schema.type === 'array') return 'LIST';
  return 'TEXT';
}

/** The usage of one action, made from its entry of the table. */
function usage(name: ActionName): string {
  const fields = properties(name);
  const words = commands[name].words;
  const named = new Set(words.map((word) => word.replace(/^\.\.\./, '')));
  const parts: string[] = ['as' in fields ? `as <uin> ${name}` : name];
  for (const word of words) {
    const field = word.replace(/^\.\.\./, '');
    const shown = `<${field}${word.startsWith('...') ? '...' : ''}>`;
    parts.push(required(name).includes(field) ? shown : `[${shown}]`);
  }
  for (const [field, schema] of Object.entries(fields)) {
    if (field === 'as' || named.has(field)) continue;
    const flag = `--${field} ${placeholder(schema)}`;
    parts.push(required(name).includes(field) ? flag : `[${flag}]`);
  }
  return parts.join(' ');
}

/** The help text: every action of the table, with its words and flags. */
export function sandboxHelp(): string {
  const lines = actionNames.map((name) => `  ${usage(name)}\n      ${commands[name].help}`);
  const extra = Object.entries(messageFlags).map(([flag, { value, help }]) => `  --${flag}${value ? ` ${value}` : ''}`.padEnd(20) + help);
  return `milky-sandbox: play everyone other than the bot in a Milky reference server

Usage: milky-sandbox [--url URL] [--token TOKEN] [as <uin>] <action> [words] [--field value]...
       milky-sandbox watch

  --url     the reference server (default http://127.0.0.1:3000)            MILKY_SANDBOX_URL
  --token   its control token (default: read from ./milky-data/control-token) MILKY_CONTROL_TOKEN

The actions (GET /control lists them with their JSON Schema). A flag names a field, with _ or -;
a unique start of its name does (--group for --group_id); on|off, true|false for yes-or-no fields;
a list of members is written 10002,10003 (or as JSON); a local file for a *_uri field is sent as
base64:// (its name as file_name, unless given).

${lines.join('\n')}

To build a message (actions with a message field), beside its text:
${extra.join('\n')}

  watch
      print events and messages as they happen

  --json            print results as JSON (one line each for watch), for scripts
  --expect-reply    after say, wait for the bot's answer in that chat and print it;
                    exit with 1 when none comes within --reply-timeout MS (default 10000)

Results print for people: say and messages as a chat transcript, world as tables, watch as one
coloured line per event or message fitted to the terminal. Failures print the reason and exit with
1 (2 for a wrong command line).
`;
}

function integer(value: string, what: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${what}: expected a number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function yesNo(value: string, what: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'on' || lower === 'true' || lower === 'yes') return true;
  if (lower === 'off' || lower === 'false' || lower === 'no') return false;
  throw new UsageError(`${what}: expected on or off, got ${JSON.stringify(value)}`);
}

const isUri = (value: string) => /^(https?|base64|file):\/\//.test(value);

/** A local file as `base64://` (so that the server may be elsewhere); URIs pass as they are. */
function fileUri(path: string): string {
  if (isUri(path)) return path;
  try {
    return `base64://${readFileSync(path).toString('base64')}`;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A command-line value as the field's schema wants it. */
function convert(schema: CommandField, value: string, what: string): unknown {
  if (schema.anyOf) {
    const options = schema.anyOf.map((option) => option.const);
    if (!options.includes(value)) throw new UsageError(`${what}: expected ${options.join(', ')}, got ${JSON.stringify(value)}`);
    return value;
  }
  if (schema.type === 'boolean') return yesNo(value, what);
  if (schema.type === 'integer' || schema.type === 'number') return integer(value, what);
  if (schema.type === 'array') {
    if (value.trimStart().startsWith('[')) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw new UsageError(`${what}: expected a JSON array, got ${JSON.stringify(value)}`);
      }
    }
    // A list of objects with one required number (members: 10002,10003) is written as the numbers.
    const items = schema.items;
    const only = items?.required?.length === 1 ? items.required[0] : undefined;
    if (only === undefined) throw new UsageError(`${what}: expected a JSON array`);
    return value
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part) => ({ [only]: integer(part.trim(), what) }));
  }
  return value;
}

/** The fields a flag may name: the one it names exactly, or those whose name it starts (`--group` for `group_id`). */
function candidates(name: ActionName, flag: string): string[] {
  const fields = Object.keys(properties(name));
  const wanted = flag.replaceAll('-', '_');
  return fields.includes(wanted) ? [wanted] : fields.filter((field) => field.startsWith(wanted));
}

/** The field a flag names, exactly or by a unique start. */
function fieldOf(name: ActionName, flag: string): string {
  const matches = candidates(name, flag);
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) throw new UsageError(`--${flag} is ambiguous for ${name}: ${matches.map((field) => `--${field}`).join(', ')}`);
  const fields = Object.keys(properties(name));
  throw new UsageError(`${name} has no field ${flag}: it takes ${fields.map((field) => `--${field}`).join(', ') || 'nothing'}`);
}

interface CommandLine {
  readonly url?: string;
  readonly token?: string;
  /** Print results as JSON, for scripts. */
  readonly json: boolean;
  /** After `say`, wait for the bot's answer in that chat, up to this many ms. */
  readonly expectReply?: number;
  readonly help: boolean;
  readonly words: string[];
  readonly flags: Array<[string, string | undefined]>;
}

const yesNoWords = /^(on|off|true|false|yes|no)$/i;

/** Whether `--flag`, followed by `next`, stands alone: `--markdown`, or a yes-or-no field not followed by on, off… */
function standsAlone(name: ActionName | undefined, flag: string, next: string | undefined): boolean {
  if (flag === 'markdown') return true;
  if (name === undefined) return false;
  const [field, ...others] = candidates(name, flag);
  return (
    others.length === 0 &&
    field !== undefined &&
    properties(name)[field]?.type === 'boolean' &&
    !(next !== undefined && yesNoWords.test(next))
  );
}

/**
 * Splits the command line: `--name value`, `--name=value`, `-g value` (`--group`), and words. A
 * yes-or-no field of `action` may stand alone (`--is_filtered`) or take on, off, true, false….
 */
function split(argv: readonly string[], action?: ActionName): CommandLine {
  const words: string[] = [];
  const flags: Array<[string, string | undefined]> = [];
  let url: string | undefined;
  let token: string | undefined;
  let help = false;
  let json = false;
  let expectReply: number | undefined;
  let replyTimeout: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') {
      words.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--expect-reply' || arg === '--expect_reply') {
      expectReply = 10_000;
      continue;
    }
    const match = /^(?:--([^=]+)|-(g))(?:=(.*))?$/s.exec(arg);
    if (!match) {
      words.push(arg);
      continue;
    }
    const flag = match[1] ?? 'group';
    let value = match[3];
    const next = argv[index + 1];
    if (value === undefined && !standsAlone(action, flag, next) && next !== undefined && !next.startsWith('--')) {
      value = next;
      index++;
    }
    if (flag === 'reply-timeout' || flag === 'reply_timeout') replyTimeout = value ?? '';
    else if (flag === 'url') url = value;
    else if (flag === 'token') token = value;
    else flags.push([flag, value]);
  }
  if (replyTimeout !== undefined) {
    if (!/^\d+$/.test(replyTimeout) || Number(replyTimeout) < 1)
      throw new UsageError(`--reply-timeout: expected milliseconds, got ${JSON.stringify(replyTimeout)}`);
    if (expectReply === undefined) throw new UsageError('--reply-timeout goes with --expect-reply');
    expectReply = Number(replyTimeout);
  }
  return {
    ...(url === undefined ? {} : { url }),
    ...(token === undefined ? {} : { token }),
    ...(expectReply === undefined ? {} : { expectReply }),
    json,
    help,
    words,
    flags,
  };
}

/** The input of one action from the words and flags after its name. */
function inputOf(name: ActionName, actor: number | undefined, words: string[], flags: Array<[string, string | undefined]>) {
  const fields = properties(name);
  const input: Record<string, unknown> = {};
  if (actor !== undefined) {
    if (!('as' in fields)) throw new UsageError(`${name} is not played by someone: drop "as <uin>"`);
    input.as = actor;
  }
  const built: { reply?: number; mention: number[]; image: string[]; face?: string; markdown: boolean } = {
    mention: [],
    image: [],
    markdown: false,
  };
  for (const [flag, value] of flags) {
    if ('message' in fields && Object.hasOwn(messageFlags, flag)) {
      if (flag === 'markdown') built.markdown = true;
      else if (value === undefined) throw new UsageError(`--${flag} needs a value`);
      else if (flag === 'reply') built.reply = integer(value, '--reply');
      else if (flag === 'mention') built.mention.push(integer(value, '--mention'));
      else if (flag === 'image') built.image.push(fileUri(value));
      else built.face = value;
      continue;
    }
    const field = fieldOf(name, flag);
    const schema = fields[field] as CommandField;
    if (value === undefined && schema.type !== 'boolean') throw new UsageError(`--${field} needs a value`);
    input[field] = value === undefined ? true : convert(schema, value, `--${field}`);
  }
  const rest = [...words];
  for (const word of commands[name].words) {
    if (rest.length === 0) break;
    const field = word.replace(/^\.\.\./, '');
    const value = word.startsWith('...') ? rest.splice(0).join(' ') : (rest.shift() as string);
    if (field === 'message') continue;
    input[field] = convert(fields[field] as CommandField, value, field);
  }
  if (rest.length > 0) throw new UsageError(`${name} takes no more words: ${JSON.stringify(rest.join(' '))}`);
  if ('message' in fields) {
    const text = commands[name].words.some((word) => word === '...message') ? words.join(' ') : '';
    const message: unknown[] = [];
    if (built.markdown) {
      if (!text) throw new UsageError(`${name} --markdown needs the Markdown text`);
      message.push({ type: 'markdown', data: { content: text } });
    } else {
      if (built.reply !== undefined) message.push({ type: 'reply', data: { message_seq: built.reply } });
      for (const user_id of built.mention) message.push({ type: 'mention', data: { user_id } });
      if (text) message.push({ type: 'text', data: { text: built.mention.length > 0 ? ` ${text}` : text } });
      if (built.face !== undefined) message.push({ type: 'face', data: { face_id: built.face } });
      for (const uri of built.image) message.push({ type: 'image', data: { uri } });
    }
    if (message.length > 0) input.message = message;
  }
  // A local file is sent as its bytes, named as it is unless the name is given.
  for (const field of Object.keys(fields).filter((key) => key.endsWith('_uri'))) {
    const path = input[field];
    if (typeof path !== 'string' || isUri(path)) continue;
    const nameField = field.replace(/_uri$/, '_name');
    if (nameField in fields && input[nameField] === undefined) input[nameField] = basename(path);
    input[field] = fileUri(path);
  }
  const missing = required(name).filter((field) => input[field] === undefined);
  if (missing.length > 0)
    throw new UsageError(
      `${name} needs ${missing.map((field) => (field === 'message' ? 'text or --image, --face, --mention' : `--${field}`)).join(', ')}`,
    );
  return input;
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
  // The action is found first; the command line is then split again knowing its fields.
  let line: CommandLine;
  try {
    const first = split(argv).words;
    const verb = (first[0] === 'as' ? first[2] : first[0])?.replaceAll('-', '_') ?? '';
    line = split(argv, isActionName(verb) ? verb : undefined);
  } catch (error) {
    output.err(`milky-sandbox: ${(error as Error).message}\nRun milky-sandbox --help for the actions.\n`);
    return 2;
  }
  if (line.help || line.words.length === 0) {
    output.out(sandboxHelp());
    return line.help ? 0 : 2;
  }
  const present: PresentOptions = { color: output.color ?? false, width: output.width ?? 100 };
  try {
    let words = line.words;
    let actor: number | undefined;
    if (words[0] === 'as') {
      const uin = words[1] ?? '';
      if (!/^\d+$/.test(uin)) throw new UsageError(`as: expected a QQ number, got ${JSON.stringify(uin)}`);
      actor = Number(uin);
      words = words.slice(2);
    }
    const [verb = '', ...rest] = words;
    const name = verb.replaceAll('-', '_');
    if (name !== 'watch' && !isActionName(name))
      throw new UsageError(`unknown action ${JSON.stringify(verb)}: the actions are ${actionNames.join(', ')}, and watch`);
    const input = name === 'watch' ? undefined : inputOf(name, actor, rest, line.flags);
    if (line.expectReply !== undefined && name !== 'say') throw new UsageError('--expect-reply goes with say');
    const token = line.token ?? defaultToken(env);
    if (!token) {
      output.err('milky-sandbox: no control token: pass --token, set MILKY_CONTROL_TOKEN, or run where milky-data/control-token is\n');
      return 2;
    }
    // The client, and with it the protocol's envelope reader, is loaded only to run an action.
    const { SandboxClient } = await import('./client.ts');
    const client = new SandboxClient({ url: line.url ?? env.MILKY_SANDBOX_URL ?? 'http://127.0.0.1:3000', token });
    if (input === undefined) {
      if (line.json) {
        for await (const item of client.stream(signal))
          output.out(`${JSON.stringify(item.kind === 'milky' ? item.event : { message: item.message })}\n`);
        return 0;
      }
      // Names are read once; someone who joins later shows as their number.
      const overview = await client.run('world', {});
      const names = namesOf(overview);
      const opened = () => output.err('milky-sandbox: watching events and messages; Ctrl+C stops\n');
      for await (const item of client.stream(signal, opened)) {
        const text = presentStreamItem(item, names, overview.self_id, present);
        if (text !== undefined) output.out(`${text}\n`);
      }
      return 0;
    }
    if (name === 'say') return await say(client, input as SayInput, line, present, output, signal);
    const result = await client.run(name as ActionName, input as never);
    if (line.json)
      output.out(
        `${JSON.stringify(result ?? {}, null, result && typeof result === 'object' && Object.keys(result).length > 4 ? 2 : undefined)}\n`,
      );
    else if (name === 'world') output.out(presentWorld(result as ActionOutput<'world'>, present));
    else if (name === 'messages') {
      const overview = await client.run('world', {});
      output.out(presentChat((result as ActionOutput<'messages'>).messages, namesOf(overview), overview.self_id, present));
    } else output.out(presentFields(result, present));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`milky-sandbox: ${error.message}\nRun milky-sandbox --help for the actions.\n`);
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

type SayInput = { as: number; group_id?: number; via_group_id?: number };

/** `say`: sends, prints the message as a transcript line (or JSON), and with `--expect-reply` waits for the bot's answer. */
async function say(
  client: SandboxClient,
  input: SayInput,
  line: CommandLine,
  present: PresentOptions,
  output: SandboxCliOutput,
  signal: AbortSignal | undefined,
): Promise<number> {
  const overview = await client.run('world', {});
  const watch = line.expectReply === undefined ? undefined : await watchReplies(client, overview.self_id, signal);
  try {
    const sent = await client.run('say', input as never);
    const chat = chatOfSay(input);
    const reply = watch && line.expectReply !== undefined ? await watch.reply(chat, sent.message_seq, line.expectReply) : undefined;
    if (line.json) output.out(`${JSON.stringify(watch ? { ...sent, reply: reply ?? null } : sent)}\n`);
    else {
      const page = await client.run('messages', {
        message_scene: chat.scene,
        peer_id: chat.peerId,
        start_message_seq: sent.message_seq,
        limit: 1,
      });
      output.out(presentChat([...page.messages, ...(reply ? [reply] : [])], namesOf(overview), overview.self_id, present));
    }
    if (watch && !reply) {
      output.err(`milky-sandbox: no reply from the bot in that chat within ${line.expectReply} ms\n`);
      return 1;
    }
    return 0;
  } finally {
    watch?.close();
  }
}

/** The `milky-sandbox` command (its launcher, `bin/`, calls it). */
export async function main(): Promise<void> {
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  process.exitCode = await runSandboxCli(
    process.argv.slice(2),
    process.env,
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
      width: process.stdout.columns ?? 100,
    },
    abort.signal,
  );
}
