// The names of everything the broker keeps in Redis. Every key starts with the prefix in braces, a
// hash tag: on a Redis Cluster all of them live in one slot, so that an event is appended to its
// account's stream and to the combined stream in one transaction.

/** The prefix of every key when none is given. */
export const defaultPrefix = 'milky';

/** The names of the broker's keys under one prefix. */
export class Keys {
  readonly tag: string;

  constructor(prefix: string = defaultPrefix) {
    if (!/^[\w.:-]{1,64}$/.test(prefix))
      throw new TypeError(`prefix: expected 1 to 64 letters, digits or ._:-, got ${JSON.stringify(prefix)}`);
    this.tag = `{${prefix}}`;
  }

  /** Every event of every account, in the order the gateway appended them. */
  get combined(): string {
    return `${this.tag}:events`;
  }

  /** The events of one account (its QQ number). */
  account(uin: number): string {
    return `${this.tag}:account:${uin}`;
  }

  /** What the gateway knows of each account: a hash of uin → JSON. */
  get accounts(): string {
    return `${this.tag}:accounts`;
  }

  /** The SSE id of the last event appended for an account, to resume from after a restart. */
  resume(uin: number): string {
    return `${this.tag}:resume:${uin}`;
  }

  /** The consumer groups workers have created: a set of `stream group` names. */
  get groups(): string {
    return `${this.tag}:groups`;
  }

  /** Entries a group gave up on after its retries. */
  dead(group: string): string {
    return `${this.tag}:dead:${group}`;
  }

  /** Failed attempts per entry of a group: a hash of entry id → count. */
  attempts(group: string): string {
    return `${this.tag}:attempts:${group}`;
  }

  /** The accounts that received a group message: a set of uins, kept for the once-per-message window. */
  seen(groupId: number, messageSeq: number): string {
    return `${this.tag}:seen:${groupId}:${messageSeq}`;
  }

  /** Which entry of a consumer group handles a group message: the entry id, set once (NX) with an expiry. */
  once(group: string, groupId: number, messageSeq: number): string {
    return `${this.tag}:once:${group}:${groupId}:${messageSeq}`;
  }

  /** Calls made through an account in the current rate window. */
  rate(uin: number): string {
    return `${this.tag}:rate:${uin}`;
  }
}
