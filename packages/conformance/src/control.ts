// The reference server's sandbox control API, when the server offers it: it lets the suite make
// its own fixtures (people, friends, groups) and play other people to make every event happen.

import { request } from './http.ts';
import { Failure } from './report.ts';

export class Control {
  private readonly origin: URL;
  private readonly token: string;

  constructor(origin: URL, token: string) {
    this.origin = origin;
    this.token = token;
  }

  /** Runs an action; fails the check when the server refuses it. */
  async run<T = Record<string, unknown>>(action: string, input: Record<string, unknown> = {}): Promise<T> {
    const response = await request(new URL(`/control/${action}`, this.origin), {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(input),
    });
    let body: { status?: string; data?: unknown; message?: string; retcode?: number } | undefined;
    try {
      body = JSON.parse(response.text);
    } catch {}
    if (response.status !== 200 || body?.status !== 'ok') {
      throw new Failure(`the sandbox refused ${action}: ${body?.message ?? `HTTP ${response.status}`}`);
    }
    return body.data as T;
  }

  /** Whether the server offers a control API that takes this token. */
  async available(): Promise<boolean> {
    try {
      await this.run('world');
      return true;
    } catch {
      return false;
    }
  }
}

/** What the suite creates in a sandbox world, so that destructive APIs touch nothing real. */
export interface Fixtures {
  /** A friend of the bot; a member of `ownGroup`. */
  readonly friend: number;
  /** Users who are no friends of the bot. */
  readonly strangers: readonly number[];
  /** A group the bot owns, with `friend` and `strangers[0]` as members. */
  readonly ownGroup: number;
  /** A group `friend` owns, with the bot as a member. */
  readonly memberGroup: number;
  /** Groups without the bot, owned by `strangers[1]`. */
  readonly outsideGroups: readonly number[];
}

export async function makeFixtures(control: Control, self: number): Promise<Fixtures> {
  const user = async (nickname: string) => (await control.run<{ user_id: number }>('create_user', { nickname })).user_id;
  const friend = await user('conformance friend');
  const strangers = [await user('conformance stranger 1'), await user('conformance stranger 2'), await user('conformance stranger 3')];
  const [first, second] = strangers as [number, number, number];
  await control.run('befriend', { user_id: friend });
  const group = async (name: string, owner: number, members: number[]) =>
    (await control.run<{ group_id: number }>('create_group', { name, owner_id: owner, members: members.map((user_id) => ({ user_id })) }))
      .group_id;
  return {
    friend,
    strangers,
    ownGroup: await group('conformance: the bot owns it', self, [friend, first]),
    memberGroup: await group('conformance: the bot is a member', friend, [self]),
    outsideGroups: [await group('conformance: without the bot 1', second, []), await group('conformance: without the bot 2', second, [])],
  };
}

/** Gives the fixtures something to read: a friend chat with an image, a forward and a file, and a group file. */
export async function fillFixtures(control: Control, fixtures: Fixtures): Promise<void> {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
  const text = (value: string) => ({ type: 'text', data: { text: value } });
  await control.run('say', { as: fixtures.friend, segments: [text('a picture'), { type: 'image', data: { uri: `base64://${png}` } }] });
  await control.run('say', {
    as: fixtures.friend,
    segments: [
      { type: 'forward', data: { messages: [{ user_id: fixtures.friend, sender_name: 'conformance', segments: [text('forwarded')] }] } },
    ],
  });
  const file = `base64://${Buffer.from('conformance').toString('base64')}`;
  await control.run('upload', { as: fixtures.friend, name: 'conformance.txt', uri: file });
  await control.run('upload', { as: fixtures.friend, group_id: fixtures.ownGroup, name: 'conformance.txt', uri: file });
}
