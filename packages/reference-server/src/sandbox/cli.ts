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
import type { TSchema } from '@sinclair/typebox';
import { type ActionName, actionNames, actions, isActionName } from './actions.ts';
import { SandboxClient } from './client.ts';

export interface SandboxCliOutput {
  out(text: string): void;
  err(text: string): void;
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

interface FieldSchema extends TSchema {
  type?: string;
  anyOf?: Array<{ const?: unknown }>;
  items?: TSchema & { type?: string; properties?: Record<string, TSchema>; required?: string[] };
}

function properties(name: ActionName): Record<string, FieldSchema> {
  return actions[name].input.properties as Record<string, FieldSchema>;
}

function required(name: ActionName): readonly string[] {
  return (actions[name].input.required as string[] | undefined) ?? [];
}

/** What a field's value looks like on a command line, from its schema. */
function placeholder(schema: FieldSchema): string {
  if (schema.anyOf) return schema.anyOf.map((option) => String(option.const)).join('|');
  if (schema.type === 'boolean') return 'on|off';
  if (schema.type === 'integer' || schema.type === 'number') return 'N';
  if (schema.type === 'array') return 'LIST';
  return 'TEXT';
}

/** The usage of one action, made from its entry of the table. */
function usage(name: ActionName): string {
  const fields = properties(name);
  const words = actions[name].words ?? [];
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
  const lines = actionNames.map((name) => `  ${usage(name)}\n      ${actions[name].help}`);
  const extra = Object.entries(messageFlags).map(([flag, { value, help }]) => `  --${flag}${value ? ` ${value}` : ''}`.padEnd(20) + help);
  return `milky-sandbox: play everyone other than the bot in a Milky reference server

Usage: milky-sandbox [--url URL] [--token TOKEN] [as <uin>] <action> [words] [--field value]...
       milky-sandbox watch

  --url     the reference server (default http://127.0.0.1:3000)            MILKY_SANDBOX_URL
  --token   its control token (default: read from ./milky-data/control-token) MILKY_CONTROL_TOKEN

The actions (GET /control lists them with their JSON Schema). A flag names a field, with _ or -;
a unique start of its name does (--group for --group_id); on|off, true|false for yes-or-no fields;
a local file for a *_uri field is sent as base64:// (its name as file_name, unless given).

${lines.join('\n')}

To build a message (actions with a message field), beside its text:
${extra.join('\n')}

  watch
      print events and messages as they happen

Results print as JSON; failures print the reason and exit with 1 (2 for a wrong command line).
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

/** A local file as `base64://` (so that the server may be elsewhere); URIs pass as they are. */
function fileUri(path: string): string {
  if (/^(https?|base64|file):\/\//.test(path)) return path;
  try {
    return `base64://${readFileSync(path).toString('base64')}`;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A command-line value as the field's schema wants it. */
function convert(schema: FieldSchema, value: string, what: string): unknown {
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

/** The field a flag names: exactly, or by a unique start (`--group` for `group_id`). */
function fieldOf(name: ActionName, flag: string): string {
  const fields = Object.keys(properties(name));
  const wanted = flag.replaceAll('-', '_');
  if (fields.includes(wanted)) return wanted;
  const matches = fields.filter((field) => field.startsWith(wanted));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) throw new UsageError(`--${flag} is ambiguous for ${name}: ${matches.map((field) => `--${field}`).join(', ')}`);
  throw new UsageError(`${name} has no field ${flag}: it takes ${fields.map((field) => `--${field}`).join(', ') || 'nothing'}`);
}

interface CommandLine {
  readonly url?: string;
  readonly token?: string;
  readonly help: boolean;
  readonly words: string[];
  readonly flags: Array<[string, string | undefined]>;
}

/** Splits the command line: `--name value`, `--name=value`, `-g value` (`--group`), and words. */
function split(argv: readonly string[]): CommandLine {
  const words: string[] = [];
  const flags: Array<[string, string | undefined]> = [];
  let url: string | undefined;
  let token: string | undefined;
  let help = false;
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
    const match = /^(?:--([^=]+)|-(g))(?:=(.*))?$/s.exec(arg);
    if (!match) {
      words.push(arg);
      continue;
    }
    const flag = match[1] ?? 'group';
    let value = match[3];
    const next = argv[index + 1];
    const takesValue = flag !== 'markdown';
    if (value === undefined && takesValue && next !== undefined && !next.startsWith('--')) {
      value = next;
      index++;
    }
    if (flag === 'url') url = value;
    else if (flag === 'token') token = value;
    else flags.push([flag, value]);
  }
  return { ...(url === undefined ? {} : { url }), ...(token === undefined ? {} : { token }), help, words, flags };
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
    const schema = fields[field] as FieldSchema;
    if (value === undefined && schema.type !== 'boolean') throw new UsageError(`--${field} needs a value`);
    input[field] = value === undefined ? true : convert(schema, value, `--${field}`);
  }
  const rest = [...words];
  for (const word of actions[name].words ?? []) {
    if (rest.length === 0) break;
    const field = word.replace(/^\.\.\./, '');
    const value = word.startsWith('...') ? rest.splice(0).join(' ') : (rest.shift() as string);
    if (field === 'message') continue;
    input[field] = convert(fields[field] as FieldSchema, value, field);
  }
  if (rest.length > 0) throw new UsageError(`${name} takes no more words: ${JSON.stringify(rest.join(' '))}`);
  if ('message' in fields) {
    const text = (actions[name].words ?? []).some((word) => word === '...message') ? words.join(' ') : '';
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
    if (typeof path !== 'string' || /^(https?|base64|file):\/\//.test(path)) continue;
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
  const line = split(argv);
  if (line.help || line.words.length === 0) {
    output.out(sandboxHelp());
    return line.help ? 0 : 2;
  }
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
    const token = line.token ?? defaultToken(env);
    if (!token) {
      output.err('milky-sandbox: no control token: pass --token, set MILKY_CONTROL_TOKEN, or run where milky-data/control-token is\n');
      return 2;
    }
    const client = new SandboxClient({ url: line.url ?? env.MILKY_SANDBOX_URL ?? 'http://127.0.0.1:3000', token });
    if (input === undefined) {
      for await (const item of client.stream(signal))
        output.out(`${JSON.stringify(item.kind === 'milky' ? item.event : { message: item.message })}\n`);
      return 0;
    }
    const result = await client.run(name as ActionName, input as never);
    output.out(
      `${JSON.stringify(result ?? {}, null, result && typeof result === 'object' && Object.keys(result).length > 4 ? 2 : undefined)}\n`,
    );
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

/** The `milky-sandbox` command (its launcher, `bin/`, calls it). */
export async function main(): Promise<void> {
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  process.exitCode = await runSandboxCli(
    process.argv.slice(2),
    process.env,
    { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
    abort.signal,
  );
}
