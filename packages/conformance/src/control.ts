// The reference server's sandbox control API, when the server offers it: it lets the suite make
// its own fixtures (people, friends, groups) and play other people to make every event happen.

import { incomingSegments, readEnvelope } from '@milky/types';
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
    // What the transport refuses is an HTTP status with a plain-text reason; what the world refuses, a retcode in the envelope.
    if (response.status !== 200)
      throw new Failure(`the sandbox refused ${action}: HTTP ${response.status} ${response.text.trim().slice(0, 200)}`);
    const envelope = readEnvelope(response.text);
    if (envelope.status === 'invalid') throw new Failure(`the sandbox refused ${action}: ${envelope.problem}`);
    if (envelope.status === 'failed') {
      throw new Failure(`the sandbox refused ${action}: ${envelope.message ?? 'no message'} (retcode ${envelope.retcode})`);
    }
    return envelope.data as T;
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

/**
 * Gives the fixtures something to read: in the friend chat, a message of every kind of segment
 * the sandbox can send, a forward, a reply and a file; in the group, a mention of everyone and a
 * file. The read checks then see each incoming segment type in the history.
 */
export async function fillFixtures(control: Control, fixtures: Fixtures, self: number): Promise<void> {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
  const bytes = (text: string) => `base64://${Buffer.from(text).toString('base64')}`;
  const text = (value: string) => ({ type: 'text', data: { text: value } });
  const say = (message: unknown[], group_id?: number) =>
    control.run<{ message_seq: number }>('say', { as: fixtures.friend, ...(group_id === undefined ? {} : { group_id }), message });
  const { message_seq } = await say([text('a picture'), { type: 'image', data: { uri: `base64://${png}` } }]);
  await say([
    { type: 'forward', data: { messages: [{ user_id: fixtures.friend, sender_name: 'conformance', segments: [text('forwarded')] }] } },
  ]);
  await say([
    { type: 'reply', data: { message_seq } },
    { type: 'mention', data: { user_id: self } },
    { type: 'face', data: { face_id: '76' } },
    text('every kind of segment'),
  ]);
  await say([{ type: 'record', data: { uri: bytes('conformance recording') } }]);
  await say([{ type: 'video', data: { uri: bytes('conformance video') } }]);
  await say([{ type: 'light_app', data: { app_name: 'com.example.conformance', json_payload: '{"app":"conformance"}' } }]);
  await say([{ type: 'xml', data: { service_id: 1, xml_payload: '<msg>conformance</msg>' } }]);
  await say([
    {
      type: 'market_face',
      data: { emoji_package_id: 1, emoji_id: 'conformance', key: 'k', summary: '[conformance]', url: 'https://example.com/c.gif' },
    },
  ]);
  if (Object.hasOwn(incomingSegments, 'markdown')) await say([{ type: 'markdown', data: { content: '**conformance**' } }]);
  await control.run('upload', { as: fixtures.friend, file_name: 'conformance.txt', file_uri: bytes('conformance') });
  // Mentioning everyone needs an admin: the bot (the owner) appoints the friend for it, then dismisses them.
  const admin = (is_set: boolean) => control.run('set_admin', { as: self, group_id: fixtures.ownGroup, user_id: fixtures.friend, is_set });
  await admin(true);
  await say([{ type: 'mention_all', data: {} }, text('everyone')], fixtures.ownGroup);
  await admin(false);
  await control.run('upload', {
    as: fixtures.friend,
    group_id: fixtures.ownGroup,
    file_name: 'conformance.txt',
    file_uri: bytes('conformance'),
  });
}
