import { randomBytes } from 'node:crypto';
import { ReferenceServer, type WorldSeed } from '@milky/reference-server';
import type { Event } from '@milky/types';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { AccountConfig } from '../src/index.ts';

export const silent = { info() {}, warn() {}, error() {} };
export const token = 'broker-test-token';
export const sharedGroup = 20001;
export const alice = 10002;
export const bob = 10003;

/** The Redis the test run started (test/global-setup.ts). */
export function redisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix of its own for each test. */
export function freshPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

export function connect(): Redis {
  return new Redis(redisUrl(), { lazyConnect: false, maxRetriesPerRequest: 3 });
}

/** A world whose bot is `self`, in group 20001 with Alice (its owner) and Bob. */
export function seedFor(self: number): WorldSeed {
  return {
    self: { user_id: self, nickname: `Bot ${self}` },
    users: [
      { user_id: alice, nickname: 'Alice' },
      { user_id: bob, nickname: 'Bob' },
    ],
    categories: [{ category_id: 0, name: '我的好友' }],
    friends: [{ user_id: alice }],
    groups: [
      {
        group_id: sharedGroup,
        name: 'shared',
        members: [{ user_id: alice, role: 'owner' }, { user_id: bob }, { user_id: self }],
      },
    ],
  };
}

export interface Side {
  readonly server: ReferenceServer;
  readonly uin: number;
  readonly url: string;
  /** Every event this world sent, in order. */
  readonly sent: Event[];
  readonly account: AccountConfig;
  /** Closes the server (once; the list's disposal skips it then). */
  close(): Promise<void>;
}

/** Reference servers on free loopback ports whose bots (30001, 30002, …) all sit in group 20001. */
export async function sides(count: number, options: { sseReplay?: number } = {}): Promise<Side[] & AsyncDisposable> {
  const list: Side[] = [];
  for (let i = 0; i < count; i++) {
    const uin = 30001 + i;
    const server = await ReferenceServer.create({ accessToken: token, port: 0, logger: silent, seed: seedFor(uin), ...options });
    const { url } = await server.listen();
    const sent: Event[] = [];
    server.world.onEvent((event) => sent.push(event));
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= server.close({ deadline: 0 }).then(() => undefined);
      return closing;
    };
    list.push({ server, uin, url, sent, account: { name: `bot ${uin}`, url, token }, close });
  }
  return Object.assign(list, {
    async [Symbol.asyncDispose]() {
      await Promise.all(list.map((side) => side.close()));
    },
  });
}

/** Alice says `text` in the shared group of a world; resolves with the message's seq. */
export async function say(side: Side, text: string): Promise<number> {
  const result = await side.server.world.send(alice, { scene: 'group', peerId: sharedGroup }, [{ type: 'text', data: { text } }]);
  return result.message_seq;
}

/** A promise resolved when `check` first returns true, re-checked on each call of the returned `poke`. */
export function when(check: () => boolean): { done: Promise<void>; poke: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const poke = () => {
    if (check()) resolve();
  };
  return { done, poke };
}
