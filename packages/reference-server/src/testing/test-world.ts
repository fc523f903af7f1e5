// A world for a bot's automated tests: a reference server in-process on a free loopback port, the
// sandbox's client to play everyone other than the bot, and a record of what happens, which the
// handles' expectations wait on (bounded) and quote when they fail.

import { AssertionError } from 'node:assert';
import type { Event, EventOf, EventType, IncomingMessage } from '@milky/types';
import type { Logger } from '@milky/webhook';
import { ReferenceServer } from '../reference-server.ts';
import { SandboxClient, type SayContent, type StreamItem } from '../sandbox/client.ts';
import type { WorldSeed } from '../world/seed.ts';
import { chatName, messageText, type Names, transcript } from './transcript.ts';

/** Options of `startTestWorld`. */
export interface TestWorldOptions {
  /** What the world starts with: the demo world (default), only the bot account, or a seed of one's own. */
  readonly seed?: 'demo' | 'empty' | WorldSeed;
  /** The longest an expectation waits, in ms. Default 5000. */
  readonly timeout?: number;
  /** Most messages and events kept for expectations and transcripts. Default 10 000. */
  readonly recordLimit?: number;
  /** Most bytes (as JSON) of messages and events kept. Default 16 MiB. */
  readonly recordBytes?: number;
  /** Where the server's warnings go (silent by default), and where a full record is reported (`console.warn` by default). */
  readonly logger?: Logger;
}

/** Options of one expectation. */
export interface WaitOptions {
  /** The longest this expectation waits, in ms; the world's `timeout` by default. */
  readonly timeout?: number;
}

/** What a reply must be: text it contains, a pattern its text matches, or a test of the message. */
export type MessageMatch = string | RegExp | ((message: IncomingMessage) => boolean);

/** Someone to mention: a handle, or a QQ number. */
export type Mentionable = number | { readonly userId: number };

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

interface Recorded<T> {
  readonly item: T;
  /** Order of arrival. */
  readonly at: number;
  readonly bytes: number;
  claimed: boolean;
}

interface Waiter {
  /** Looks at the record; true once the expectation is met. */
  readonly check: () => boolean;
}

function describeMatch(match: MessageMatch | undefined): string {
  if (match === undefined) return '';
  if (typeof match === 'string') return ` containing ${JSON.stringify(match)}`;
  if (match instanceof RegExp) return ` matching ${match}`;
  return ` passing ${match.name || 'the given test'}`;
}

/** A world for a bot's tests; `startTestWorld()` makes one. Close it (or `await using` it) when done. */
export class TestWorld {
  /** The Milky endpoints for the bot under test, such as `http://127.0.0.1:43567`. */
  readonly url: string;
  /** The token the bot connects with. */
  readonly accessToken: string;
  /** The server, for what the handles do not cover (its `world` holds the state). */
  readonly server: ReferenceServer;
  /** The sandbox's typed client, for any action the handles do not cover. */
  readonly sandbox: SandboxClient;
  /** The bot's own account, to mention. */
  readonly bot: Person;
  /** The longest an expectation waits by default, in ms. */
  readonly timeout: number;

  private readonly messages: Recorded<IncomingMessage>[] = [];
  private readonly events: Recorded<Event>[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly stop = new AbortController();
  private readonly limit: number;
  private readonly limitBytes: number;
  private readonly warn: Logger['warn'];
  private bytes = 0;
  private dropped = 0;
  private arrived = 0;
  private watching: Promise<void> = Promise.resolve();

  private constructor(server: ReferenceServer, url: string, accessToken: string, controlToken: string, options: TestWorldOptions) {
    this.server = server;
    this.url = url;
    this.accessToken = accessToken;
    this.sandbox = new SandboxClient({ url: new URL(url).origin, token: controlToken });
    this.timeout = options.timeout ?? 5000;
    this.limit = options.recordLimit ?? 10_000;
    this.limitBytes = options.recordBytes ?? 16 * 1024 * 1024;
    this.warn = options.logger
      ? options.logger.warn.bind(options.logger)
      : (message, fields) => console.warn(`[milky:testing] ${message}`, fields ?? '');
    this.bot = new Person(this, server.world.selfId);
  }

  /** Starts a server on a free loopback port and begins recording what happens in its world. */
  static async start(options: TestWorldOptions = {}): Promise<TestWorld> {
    const accessToken = crypto.randomUUID();
    const controlToken = crypto.randomUUID();
    const server = await ReferenceServer.create({
      seed: options.seed ?? 'demo',
      accessToken,
      controlToken,
      host: '127.0.0.1',
      port: 0,
      logger: options.logger ?? silent,
    });
    try {
      const { url } = await server.listen();
      const world = new TestWorld(server, url, accessToken, controlToken, options);
      await world.watch();
      return world;
    } catch (error) {
      await server.close({ deadline: 0 });
      throw error;
    }
  }

  /** Subscribes to the sandbox's stream; resolves once it is subscribed. */
  private watch(): Promise<void> {
    return new Promise((opened, failed) => {
      let open = false;
      this.watching = (async () => {
        for await (const item of this.sandbox.stream(this.stop.signal, () => {
          open = true;
          opened();
        }))
          this.record(item);
      })().catch((error: unknown) => {
        if (!open) failed(error);
      });
    });
  }

  private record(item: StreamItem): void {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    const at = this.arrived++;
    if (item.kind === 'message') this.messages.push({ item: item.message, at, bytes, claimed: false });
    else this.events.push({ item: item.event, at, bytes, claimed: false });
    this.bytes += bytes;
    // The oldest go first once a bound is reached; transcripts say how many.
    while (this.messages.length + this.events.length > this.limit || this.bytes > this.limitBytes) {
      const messageFirst = (this.messages[0]?.at ?? Infinity) < (this.events[0]?.at ?? Infinity);
      const gone = (messageFirst ? this.messages : this.events).shift();
      if (!gone) break;
      this.bytes -= gone.bytes;
      this.dropped++;
      // Logged at the first drop and at each doubling, so a long test is told without being flooded.
      if ((this.dropped & (this.dropped - 1)) === 0)
        this.warn(`the test world's record is full: the ${this.dropped} oldest messages and events are no longer kept`, {
          recordLimit: this.limit,
          recordBytes: this.limitBytes,
        });
    }
    for (const waiter of this.waiters) if (waiter.check()) this.waiters.delete(waiter);
  }

  /** A person of the world, to act as. */
  person(userId: number): Person {
    return new Person(this, userId);
  }

  /** A group of the world. */
  group(groupId: number): Group {
    return new Group(this, groupId);
  }

  /**
   * Waits (bounded) for an event the bot gets, of `type` and passing `test`, that no earlier
   * expectation took; resolves with it.
   */
  expectEvent<T extends EventType>(type: T, test?: (event: EventOf<T>) => boolean, options: WaitOptions = {}): Promise<EventOf<T>> {
    return this.claim(
      this.events,
      (event): event is EventOf<T> => event.event_type === type && (test === undefined || test(event as EventOf<T>)),
      options,
      async () => `no ${type} event${test ? ` passing ${test.name || 'the given test'}` : ''}`,
      async () => {
        const seen = this.events.map(({ item }) => `  ${item.event_type}`);
        return `events so far:\n${seen.length ? seen.join('\n') : '  (no events)'}`;
      },
    );
  }

  /** Every message of a chat recorded so far, oldest first. */
  chat(scene: IncomingMessage['message_scene'], peerId: number): IncomingMessage[] {
    return this.messages.filter(({ item }) => item.message_scene === scene && item.peer_id === peerId).map(({ item }) => item);
  }

  /** A chat so far as a transcript, with everyone's names. */
  async transcript(scene: IncomingMessage['message_scene'], peerId: number): Promise<string> {
    const names = await this.names();
    const lines = transcript(this.chat(scene, peerId), names);
    return this.dropped ? `  (${this.dropped} earlier messages and events no longer kept)\n${lines}` : lines;
  }

  /** Waits (bounded) for the bot's next message in a chat that no earlier expectation took. */
  expectMessage(
    scene: IncomingMessage['message_scene'],
    peerId: number,
    match?: MessageMatch,
    options: WaitOptions = {},
  ): Promise<IncomingMessage> {
    const names = new Map<number, string>();
    const fits = (message: IncomingMessage) =>
      message.message_scene === scene &&
      message.peer_id === peerId &&
      message.sender_id === this.bot.userId &&
      (match === undefined ||
        (typeof match === 'string'
          ? messageText(message, names).includes(match)
          : match instanceof RegExp
            ? match.test(messageText(message, names))
            : match(message)));
    return this.claim(
      this.messages,
      (message): message is IncomingMessage => fits(message),
      options,
      async () => `no reply from the bot in ${chatName(scene, peerId, await this.names())}${describeMatch(match)}`,
      async () => `chat so far:\n${await this.transcript(scene, peerId)}`,
    );
  }

  /** Takes the first unclaimed record passing `fits`, waiting up to the timeout for one. */
  private claim<T, U extends T>(
    records: Recorded<T>[],
    fits: (item: T) => item is U,
    options: WaitOptions,
    what: () => Promise<string>,
    context: () => Promise<string>,
  ): Promise<U> {
    const timeout = options.timeout ?? this.timeout;
    return new Promise<U>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = records.find((record) => !record.claimed && fits(record.item));
          if (!found) return false;
          found.claimed = true;
          clearTimeout(timer);
          resolve(found.item as U);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        void Promise.all([what(), context()]).then(
          ([summary, detail]) => reject(new AssertionError({ message: `${summary} within ${timeout} ms\n${detail}` })),
          reject,
        );
      }, timeout);
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  /** Display names: group cards are per group, so nicknames (the bot's too). */
  private async names(): Promise<Names> {
    const overview = await this.sandbox.run('world', {});
    const names = new Map<number, string>(overview.users.map((user) => [user.user_id, user.nickname]));
    for (const group of overview.groups) names.set(group.group_id, group.name);
    if (!names.has(overview.self_id)) names.set(overview.self_id, 'bot');
    return names;
  }

  /** Stops recording and closes the server. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.server.close({ deadline: 0 });
    await this.watching;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Starts a world for a bot's tests: a reference server in-process on a free loopback port. */
export function startTestWorld(options: TestWorldOptions = {}): Promise<TestWorld> {
  return TestWorld.start(options);
}

function mentionId(who: Mentionable): number {
  return typeof who === 'number' ? who : who.userId;
}

/** A person of the world: says things to the bot in their friend chat, and expects its replies there. */
export class Person {
  private readonly world: TestWorld;
  /** Their QQ number. */
  readonly userId: number;

  constructor(world: TestWorld, userId: number) {
    this.world = world;
    this.userId = userId;
  }

  /** Says text or segments to the bot, in this person's friend chat with it; resolves with its `message_seq`. */
  async say(content: SayContent): Promise<number> {
    return (await this.world.sandbox.as(this.userId).say({ message: content })).message_seq;
  }

  /** Waits (bounded) for the bot's next message in this person's friend chat. */
  expectReply(match?: MessageMatch, options?: WaitOptions): Promise<IncomingMessage> {
    return this.world.expectMessage('friend', this.userId, match, options);
  }

  /** Nudges the bot in the friend chat. */
  async nudge(): Promise<void> {
    await this.world.sandbox.as(this.userId).nudge({});
  }

  /** The friend chat with the bot so far. */
  transcript(): Promise<string> {
    return this.world.transcript('friend', this.userId);
  }
}

/** A group of the world: its members speak in it, and the bot's replies there are expected. */
export class Group {
  private readonly world: TestWorld;
  /** Its group number. */
  readonly groupId: number;

  constructor(world: TestWorld, groupId: number) {
    this.world = world;
    this.groupId = groupId;
  }

  /** A member, to act as. */
  member(userId: number): Member {
    return new Member(this.world, this.groupId, userId);
  }

  /** Waits (bounded) for the bot's next message in this group. */
  expectReply(match?: MessageMatch, options?: WaitOptions): Promise<IncomingMessage> {
    return this.world.expectMessage('group', this.groupId, match, options);
  }

  /** The group's chat so far. */
  transcript(): Promise<string> {
    return this.world.transcript('group', this.groupId);
  }
}

/** A member of a group, speaking in it. */
export class Member {
  private readonly world: TestWorld;
  /** The group. */
  readonly groupId: number;
  /** Their QQ number. */
  readonly userId: number;

  constructor(world: TestWorld, groupId: number, userId: number) {
    this.world = world;
    this.groupId = groupId;
    this.userId = userId;
  }

  /** Says text or segments in the group; resolves with its `message_seq`. */
  async say(content: SayContent): Promise<number> {
    return (await this.world.sandbox.as(this.userId).say({ message: content, group_id: this.groupId })).message_seq;
  }

  /** Mentions someone (the bot, usually) followed by `text`, in the group. */
  mention(who: Mentionable, text = ''): Promise<number> {
    return this.say([
      { type: 'mention', data: { user_id: mentionId(who) } },
      ...(text === '' ? [] : [{ type: 'text' as const, data: { text: ` ${text}` } }]),
    ]);
  }

  /** Nudges `target` (the bot by default) in the group. */
  async nudge(target?: Mentionable): Promise<void> {
    await this.world.sandbox
      .as(this.userId)
      .nudge({ group_id: this.groupId, ...(target === undefined ? {} : { user_id: mentionId(target) }) });
  }

  /** Waits (bounded) for the bot's next message in the group. */
  expectReply(match?: MessageMatch, options?: WaitOptions): Promise<IncomingMessage> {
    return this.world.expectMessage('group', this.groupId, match, options);
  }
}
