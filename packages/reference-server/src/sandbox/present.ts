// What the sandbox's command line prints for people: a chat transcript grouped by day, tables for
// lists, and one coloured line per item of the live stream, fitted to the terminal's width. Each
// formatter takes an action's result as the action table gives it.

import type { Event, IncomingMessage } from '@milky/types';
import type { WorldOverview } from './actions.ts';
import type { StreamItem } from './client.ts';
import { messageText, type Names } from './message-text.ts';

/** How to print. */
export interface PresentOptions {
  /** Colours (ANSI escapes); off when the output is not a terminal, or `NO_COLOR` is set. */
  readonly color: boolean;
  /** Columns of the terminal; lines longer than this are cut with `…`. */
  readonly width: number;
  /** Time zone of dates and times; the system's by default. */
  readonly timeZone?: string;
}

const codes = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof codes;

function paint(options: PresentOptions, style: Style, text: string): string {
  return options.color && text !== '' ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}

/** Whether a code point takes two columns on a terminal (CJK, full-width forms, most emoji). */
function wide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Columns `text` takes on a terminal (without escapes). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += wide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

/** `text` cut to `width` columns, ending with `…` when cut. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = wide(char.codePointAt(0) ?? 0) ? 2 : 1;
    if (used + size > width - 1) break;
    out += char;
    used += size;
  }
  return `${out}…`;
}

/** Text from the world with control characters (escapes a terminal would obey) shown as `�`. */
export function clean(text: string): string {
  return text.replace(/\p{Cc}/gu, '\ufffd');
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Rows under a header, in columns as wide as their widest cell; control characters are shown as spaces. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options: PresentOptions): string {
  const cells = rows.map((row) => row.map(clean));
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...cells.map((row) => displayWidth(row[column] ?? ''))));
  const line = (row: readonly string[]) =>
    fit(
      row
        .map((cell, column) => padEnd(cell, widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
      options.width,
    );
  return `${paint(options, 'bold', line(header))}\n${cells.map(line).join('\n')}${cells.length ? '\n' : ''}`;
}

/** Display names from the world's overview: nicknames, and group names. */
export function namesOf(overview: WorldOverview): Names {
  const names = new Map<number, string>(overview.users.map((user) => [user.user_id, user.nickname]));
  for (const group of overview.groups) names.set(group.group_id, group.name);
  return names;
}

/** The `world` action's result: people, then groups with their members. */
export function presentWorld(overview: WorldOverview, options: PresentOptions): string {
  const names = namesOf(overview);
  const people = table(
    ['QQ', 'NICKNAME', 'FRIEND'],
    overview.users.map((user) => [
      String(user.user_id),
      user.nickname,
      user.user_id === overview.self_id ? '(the bot)' : user.is_friend ? 'yes' : '',
    ]),
    options,
  );
  const groups = table(
    ['GROUP', 'NAME', 'MEMBERS', 'MUTED'],
    overview.groups.map((group) => [String(group.group_id), group.name, String(group.members.length), group.is_mute ? 'all' : '']),
    options,
  );
  const members = overview.groups.map(
    (group) =>
      `${paint(options, 'cyan', `${group.name} (${group.group_id})`)}\n${table(
        ['QQ', 'NAME', 'ROLE', 'CARD', 'MUTED'],
        group.members.map((member) => [
          String(member.user_id),
          names.get(member.user_id) ?? '',
          member.role,
          member.card,
          member.is_mute ? 'muted' : '',
        ]),
        options,
      )}`,
  );
  return [people, groups, ...members].join('\n');
}

function dateParts(seconds: number, options: PresentOptions): { day: string; time: string; clock: string } {
  const date = new Date(seconds * 1000);
  const zone = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
  const day = new Intl.DateTimeFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' })
    .formatToParts(date)
    .reduce<Record<string, string>>((parts, part) => Object.assign(parts, { [part.type]: part.value }), {});
  const time = new Intl.DateTimeFormat('en-GB', { ...zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  const clock = new Intl.DateTimeFormat('en-GB', {
    ...zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return { day: `${day.year}-${day.month}-${day.day} ${day.weekday}`, time, clock };
}

/** Who sent a message, by name when known. */
function senderName(message: IncomingMessage, names: Names, selfId: number | undefined): string {
  const name = clean(names.get(message.sender_id) ?? String(message.sender_id));
  return message.sender_id === selfId ? `${name} (bot)` : name;
}

/**
 * Messages as a chat transcript: a line with the date before each day's first message, then
 * `HH:MM #seq name: text`, the bot's in its own colour, longer text going on indented.
 */
export function presentChat(
  messages: readonly IncomingMessage[],
  names: Names,
  selfId: number | undefined,
  options: PresentOptions,
): string {
  if (messages.length === 0) return `${paint(options, 'dim', '(no messages)')}\n`;
  const lines: string[] = [];
  let day = '';
  for (const message of [...messages].sort((a, b) => a.time - b.time || a.message_seq - b.message_seq)) {
    const parts = dateParts(message.time, options);
    if (parts.day !== day) {
      day = parts.day;
      lines.push(paint(options, 'dim', `── ${day} ──`));
    }
    const who = senderName(message, names, selfId);
    const head = `${parts.time} #${message.message_seq} `;
    const [first = '', ...more] = messageText(message, names).split('\n').map(clean);
    lines.push(
      `${paint(options, 'dim', head)}${paint(options, message.sender_id === selfId ? 'green' : 'cyan', who)}: ${fit(first, Math.max(8, options.width - displayWidth(`${head}${who}: `)))}`,
    );
    const indent = ' '.repeat(displayWidth(head));
    for (const line of more) lines.push(`${indent}${fit(line, Math.max(8, options.width - indent.length))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Where a message was said, shortly: `group 20001`, `friend 10002`, `temp 10002`. */
function chatLabel(message: IncomingMessage, names: Names): string {
  const name = names.get(message.peer_id);
  return `${message.message_scene} ${name ? `${clean(name)} (${message.peer_id})` : message.peer_id}`;
}

/** The fields of an event worth a glance, as `key=value` pairs. */
function eventSummary(event: Event): string {
  return Object.entries(event.data as unknown as Record<string, unknown>)
    .filter(([, value]) => value === null || typeof value !== 'object')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
}

/** One item of the live stream as one line, fitted to the width: stored messages, and events other than the receipt of a message (the message line says it). */
export function presentStreamItem(item: StreamItem, names: Names, selfId: number | undefined, options: PresentOptions): string | undefined {
  if (item.kind === 'milky' && item.event.event_type === 'message_receive') return undefined;
  const time = item.kind === 'message' ? item.message.time : item.event.time;
  const clock = `${dateParts(time, options).clock} `;
  if (item.kind === 'message') {
    const where = `[${chatLabel(item.message, names)}] `;
    const who = `${senderName(item.message, names, selfId)}: `;
    const text = clean(messageText(item.message, names).replace(/\s*\n\s*/g, ' ⏎ '));
    const room = Math.max(8, options.width - displayWidth(clock + where + who));
    return `${paint(options, 'dim', clock)}${paint(options, 'blue', where)}${paint(options, item.message.sender_id === selfId ? 'green' : 'cyan', who)}${fit(text, room)}`;
  }
  const type = item.event.event_type;
  const summary = clean(eventSummary(item.event));
  const room = Math.max(8, options.width - displayWidth(`${clock}${type} `));
  return `${paint(options, 'dim', clock)}${paint(options, 'magenta', type)} ${paint(options, 'dim', fit(summary, room))}`;
}

/** Any other result: its fields, one per line, as `name: value`. */
export function presentFields(result: unknown, options: PresentOptions): string {
  if (result === undefined || result === null || (typeof result === 'object' && Object.keys(result).length === 0))
    return `${paint(options, 'green', 'done')}\n`;
  if (typeof result !== 'object') return `${clean(String(result))}\n`;
  const entries = Object.entries(result as Record<string, unknown>);
  const width = Math.max(...entries.map(([key]) => key.length));
  return `${entries
    .map(
      ([key, value]) =>
        `${paint(options, 'dim', `${key.padEnd(width)}:`)} ${clean(typeof value === 'object' ? JSON.stringify(value) : String(value))}`,
    )
    .join('\n')}\n`;
}
