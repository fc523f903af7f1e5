// Calls back from a worker: typed API calls through the account that received an event, or
// through any account in a group, going on to the next account when one answers -403 (offline,
// or not allowed) or cannot be reached. Every call through an account counts against its rate
// limit, shared by all workers.

import { type CallArgs, MilkyApiError, MilkyClient, MilkyNetworkError, MilkyTimeoutError } from '@milky/client';
import { type ApiName, type ApiOutput, retcodes } from '@milky/types';
import type { Redis } from 'ioredis';
import type { AccountConfig } from './config.ts';
import type { Keys } from './keys.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { RateLimiter } from './rate-limit.ts';

/** The accounts calls go through, and the shared rate limit. */
export interface CallsOptions {
  readonly accounts: readonly AccountConfig[];
  /** Calls per second through each account, across every worker. Default 20. */
  readonly rateLimit?: number | undefined;
  /** How long an account's group list is trusted, in ms. Default 60 000. */
  readonly groupsTtl?: number | undefined;
  readonly logger?: Logger | undefined;
}

/** Typed calls through one account, or with failover over several. */
export interface Caller {
  /** Calls `name` with its parameters and resolves with its `data`. */
  call<N extends ApiName>(name: N, ...args: CallArgs<N>): Promise<ApiOutput<N>>;
}

interface Account {
  readonly config: AccountConfig;
  readonly client: MilkyClient;
  uin: number | undefined;
  groups: { ids: Set<number>; until: number } | undefined;
}

/** Whether another account may succeed where this one failed. */
export function isFailover(error: unknown): boolean {
  return (
    (error instanceof MilkyApiError && error.retcode === retcodes.notLoggedIn) ||
    error instanceof MilkyNetworkError ||
    error instanceof MilkyTimeoutError
  );
}

/** Typed calls back from workers: through one account, or through any account of a group with failover. */
export class Calls {
  private readonly accounts: Account[];
  private readonly limiter: RateLimiter;
  private readonly groupsTtl: number;
  private readonly logger: Logger;

  private readonly keys: Keys;

  constructor(redis: Redis, keys: Keys, options: CallsOptions) {
    this.keys = keys;
    this.logger = options.logger ?? consoleLogger;
    this.limiter = new RateLimiter(redis, options.rateLimit ?? 20);
    this.groupsTtl = options.groupsTtl ?? 60_000;
    this.accounts = options.accounts.map((config) => ({
      config,
      client: new MilkyClient({ baseUrl: config.url, accessToken: config.token, logger: this.logger }),
      uin: undefined,
      groups: undefined,
    }));
  }

  /** Learns each account's QQ number; an account that cannot be reached now is asked again later. */
  private async identify(account: Account): Promise<number | undefined> {
    if (account.uin !== undefined) return account.uin;
    try {
      account.uin = (await account.client.api.get_login_info(undefined, { timeout: 5000 })).uin;
    } catch (error) {
      this.logger.warn('an account could not be identified', { name: account.config.name ?? account.config.url, error: String(error) });
    }
    return account.uin;
  }

  private async find(uin: number): Promise<Account | undefined> {
    for (const account of this.accounts) if (account.uin === uin) return account;
    for (const account of this.accounts) if ((await this.identify(account)) === uin) return account;
    return undefined;
  }

  private async inGroup(account: Account, groupId: number): Promise<boolean> {
    if (!account.groups || account.groups.until < Date.now()) {
      try {
        const { groups } = await account.client.api.get_group_list(undefined, { timeout: 5000 });
        account.groups = { ids: new Set(groups.map((group) => group.group_id)), until: Date.now() + this.groupsTtl };
      } catch {
        return false;
      }
    }
    return account.groups.ids.has(groupId);
  }

  private async through<N extends ApiName>(account: Account, name: N, args: CallArgs<N>): Promise<ApiOutput<N>> {
    const uin = await this.identify(account);
    if (uin !== undefined) await this.limiter.take(this.keys.rate(uin));
    return account.client.call(name, ...args);
  }

  /** Calls through one account (the one that received an event). */
  account(uin: number): Caller {
    return {
      call: async <N extends ApiName>(name: N, ...args: CallArgs<N>) => {
        const account = await this.find(uin);
        if (!account) throw new Error(`account ${uin} is not in the broker's accounts (or cannot be reached to tell)`);
        return this.through(account, name, args);
      },
    };
  }

  /**
   * Calls through an account in a group: those in `prefer` first (the one that received the event,
   * then the others that saw it), then any other account in the group, going on to the next on
   * -403 or when one cannot be reached.
   */
  group(groupId: number, prefer: readonly number[] = []): Caller {
    return {
      call: async <N extends ApiName>(name: N, ...args: CallArgs<N>) => {
        const tried = new Set<Account>();
        let last: unknown;
        const candidates = async function* (this: Calls) {
          for (const uin of prefer) {
            const account = await this.find(uin);
            if (account) yield account;
          }
          for (const account of this.accounts) if (await this.inGroup(account, groupId)) yield account;
        }.call(this);
        for await (const account of candidates) {
          if (tried.has(account)) continue;
          tried.add(account);
          try {
            return await this.through(account, name, args);
          } catch (error) {
            if (!isFailover(error)) throw error;
            last = error;
            this.logger.warn('a call failed through one account, trying the next', {
              api: name,
              account: account.uin,
              error: String(error),
            });
          }
        }
        if (last) throw last;
        throw new Error(`no account of the broker is in group ${groupId}`);
      },
    };
  }
}
