// What the broker's keys say: the accounts (from the gateway), each stream's length, each consumer
// group's lag and pending entries, and its dead letters.

import type { Redis } from 'ioredis';
import { Keys } from './keys.ts';

/** An account as the gateway last recorded it. */
export interface AccountStatus {
  readonly uin: number;
  readonly name: string;
  readonly url: string;
  readonly connected: boolean;
  readonly lost: number;
  readonly unknownGaps: number;
}

/** A consumer group of a stream. */
export interface GroupStatus {
  readonly stream: string;
  readonly group: string;
  readonly consumers: number;
  readonly pending: number;
  /** Entries not yet delivered to the group; `null` when Redis cannot tell (entries were trimmed). */
  readonly lag: number | null;
  readonly deadLetters: number;
}

/** Accounts, streams and consumer groups of one prefix. */
export interface BrokerStatus {
  readonly accounts: AccountStatus[];
  readonly streams: Array<{ key: string; length: number }>;
  readonly groups: GroupStatus[];
}

function record(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** Reads the status of the broker's keys under `prefix`. */
export async function readStatus(redis: Redis, prefix?: string): Promise<BrokerStatus> {
  const keys = new Keys(prefix);
  const stored = await redis.hgetall(keys.accounts);
  const accounts = Object.entries(stored)
    .map(([uin, json]) => {
      const value = JSON.parse(json) as Omit<AccountStatus, 'uin'>;
      return {
        uin: Number(uin),
        name: value.name,
        url: value.url,
        connected: value.connected,
        lost: value.lost ?? 0,
        unknownGaps: value.unknownGaps ?? 0,
      };
    })
    .sort((a, b) => a.uin - b.uin);
  const streamKeys = [keys.combined, ...accounts.map((account) => keys.account(account.uin))];
  const streams = await Promise.all(streamKeys.map(async (key) => ({ key, length: await redis.xlen(key) })));
  const registered = (await redis.smembers(keys.groups)).sort();
  const groups: GroupStatus[] = [];
  for (const item of registered) {
    const [stream = '', group = ''] = item.split(' ');
    const infos = ((await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][]).map(record);
    const info = infos.find((candidate) => candidate.name === group);
    if (!info) continue;
    const lag = info.lag;
    groups.push({
      stream,
      group,
      consumers: Number(info.consumers),
      pending: Number(info.pending),
      lag: lag === null || lag === undefined ? null : Number(lag),
      deadLetters: await redis.xlen(keys.dead(group)),
    });
  }
  return { accounts, streams, groups };
}

/** The status as a few aligned lines of text. */
export function formatStatus(status: BrokerStatus): string {
  const lines: string[] = ['accounts'];
  if (status.accounts.length === 0) lines.push('  (none: no gateway has run with this prefix)');
  for (const a of status.accounts) {
    lines.push(
      `  ${String(a.uin).padEnd(12)} ${a.connected ? 'connected   ' : 'disconnected'} ${a.name}  ${a.url}  lost ${a.lost}${a.unknownGaps > 0 ? `, ${a.unknownGaps} gaps of unknown size` : ''}`,
    );
  }
  lines.push('streams');
  for (const s of status.streams) lines.push(`  ${s.key.padEnd(32)} ${s.length} entries`);
  lines.push('consumer groups');
  if (status.groups.length === 0) lines.push('  (none)');
  for (const g of status.groups) {
    lines.push(
      `  ${g.group.padEnd(16)} on ${g.stream.padEnd(24)} consumers ${g.consumers}  lag ${g.lag ?? 'unknown'}  pending ${g.pending}  dead letters ${g.deadLetters}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
