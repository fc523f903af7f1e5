// Once per group message: a consumer group handles a group message once however many accounts
// received it. The first entry to claim the key (SET NX with an expiry) handles it; the same entry,
// redelivered after a crash, still may; any other entry of that message is acknowledged unhandled.
// The accounts that received it so far come back with the claim, read in the same script.

import type { Redis } from 'ioredis';

const script = `
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local owner = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local mine = 1
if not owner then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then mine = 0 end
end
return {mine, redis.call('SMEMBERS', KEYS[2])}
`;

/** The outcome of claiming a group message for one entry. */
export interface OnceClaim {
  /** Whether this entry is the one that handles the message. */
  readonly mine: boolean;
  /** The accounts that received the message so far, in ascending order. */
  readonly accounts: number[];
}

/** Claims a group message for one entry of a consumer group, atomically. */
export async function claimOnce(
  redis: Redis,
  keys: { once: string; seen: string },
  entryId: string,
  account: number,
  ttlMs: number,
): Promise<OnceClaim> {
  const [mine, members] = (await redis.eval(script, 2, keys.once, keys.seen, entryId, ttlMs, account)) as [number, string[]];
  return { mine: mine === 1, accounts: members.map(Number).sort((a, b) => a - b) };
}
