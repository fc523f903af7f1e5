// What a new world starts with: the bot account and, unless asked otherwise, a demo world of
// people, friends in categories, groups with owners, admins and members, message history,
// requests, announcements, files and stickers. A JSON file of the same shape seeds a world of
// one's own.

import { readFile } from 'node:fs/promises';
import { MilkyApiError, type MilkySchema, OutgoingSegment, validator } from '@milky/types';
import { type Static, Type } from '@sinclair/typebox';
import { coloursOf, drawPng } from './media.ts';
import type { PreparedMessage } from './messages.ts';
import type { World } from './world.ts';

const Uin = Type.Integer({ minimum: 10001, maximum: 4294967295 });
const Text = (description: string) => Type.Optional(Type.String({ description }));
const Sex = Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')]);
const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
const Scene = Type.Union([Type.Literal('friend'), Type.Literal('group'), Type.Literal('temp')]);

const SeedUser = Type.Object(
  {
    user_id: Uin,
    nickname: Type.String({ minLength: 1 }),
    sex: Type.Optional(Sex),
    qid: Text('QID'),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    level: Type.Optional(Type.Integer({ minimum: 0, maximum: 256 })),
    country: Text('country or region'),
    city: Text('city'),
    school: Text('school'),
    bio: Text('bio'),
  },
  { additionalProperties: false },
);

const SeedSchema = Type.Object(
  {
    self: SeedUser,
    users: Type.Optional(Type.Array(SeedUser)),
    categories: Type.Optional(
      Type.Array(Type.Object({ category_id: Type.Integer({ minimum: 0 }), name: Type.String() }, { additionalProperties: false })),
    ),
    friends: Type.Optional(
      Type.Array(
        Type.Object(
          { user_id: Uin, category_id: Type.Optional(Type.Integer({ minimum: 0 })), remark: Text('remark') },
          { additionalProperties: false },
        ),
      ),
    ),
    groups: Type.Optional(
      Type.Array(
        Type.Object(
          {
            group_id: Uin,
            name: Type.String({ minLength: 1 }),
            max_member_count: Type.Optional(Type.Integer({ minimum: 2 })),
            remark: Text('remark'),
            description: Text('introduction'),
            question: Text('join question'),
            members: Type.Array(
              Type.Object(
                {
                  user_id: Uin,
                  role: Type.Optional(Role),
                  card: Text('card'),
                  title: Text('special title'),
                  level: Type.Optional(Type.Integer({ minimum: 0 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1 },
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    messages: Type.Optional(
      Type.Array(
        Type.Object(
          {
            scene: Scene,
            peer_id: Uin,
            sender_id: Uin,
            via_group: Type.Optional(Uin),
            text: Text('the message as plain text'),
            segments: Type.Optional(Type.Array(Type.Unknown())),
            minutes_ago: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    friend_requests: Type.Optional(
      Type.Array(
        Type.Object(
          { user_id: Uin, comment: Text('comment'), via: Text('source'), filtered: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      ),
    ),
    join_requests: Type.Optional(
      Type.Array(
        Type.Object(
          { group_id: Uin, user_id: Uin, comment: Text('comment'), filtered: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      ),
    ),
    announcements: Type.Optional(
      Type.Array(Type.Object({ group_id: Uin, user_id: Uin, content: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    ),
    group_files: Type.Optional(
      Type.Array(
        Type.Object(
          {
            group_id: Uin,
            user_id: Uin,
            name: Type.String({ minLength: 1 }),
            text: Type.String(),
            folder: Text('folder name; created when missing'),
            expires_in_days: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 3650, description: 'a temporary file: it expires this many days after seeding' }),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * What a new world starts with: the bot, people, friends, groups, messages, requests, files.
 * @useDeclaredType
 */
export type WorldSeed = Static<typeof SeedSchema>;

const seedValidator = validator(SeedSchema as unknown as MilkySchema<WorldSeed>);
const segmentValidator = validator(OutgoingSegment);

/** A seed that is well-formed but does not make a consistent world (a friend who is not a user…). */
export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/** Checks a seed, failing with an error that names the key and what was expected. */
export function parseSeed(value: unknown, source = 'seed'): WorldSeed {
  const seed = seedValidator.parse(value, source);
  seed.messages?.forEach((message, index) => {
    if ((message.text === undefined) === (message.segments === undefined)) {
      throw new SeedError(`${source}: messages[${index}] needs either text or segments`);
    }
    message.segments?.forEach((segment, s) => {
      const issue = segmentValidator.issues(segment, 1)[0];
      if (issue)
        throw new Error(
          `${source}: messages[${index}].segments[${s}]${issue.path === '(root)' ? '' : `.${issue.path}`}: expected ${issue.expected}, got ${issue.received}`,
        );
    });
  });
  return seed;
}

/** Reads and checks a seed file, naming the field of any mistake. */
export async function readSeedFile(path: string): Promise<WorldSeed> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the seed file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSeed(value, path);
}

const image = (id: number) => `base64://${drawPng(48, ...coloursOf(id)).toString('base64')}`;

/** The demo world: a bot that owns one group, administers another and is a member of a third. */
export function demoSeed(): WorldSeed {
  return {
    self: { user_id: 10001, nickname: 'Milky Bot', sex: 'unknown', bio: 'The bot account of the Milky reference server', level: 32 },
    users: [
      {
        user_id: 10002,
        nickname: 'Alice',
        sex: 'female',
        qid: 'alice',
        age: 24,
        city: 'Shanghai',
        school: 'Fudan University',
        bio: 'Writes bots for fun',
        level: 58,
      },
      { user_id: 10003, nickname: 'Bob', sex: 'male', age: 31, city: 'Beijing', bio: 'Always testing', level: 40 },
      { user_id: 10004, nickname: '小红', sex: 'female', age: 19, city: 'Hangzhou', level: 21 },
      { user_id: 10005, nickname: 'Dave', sex: 'male', age: 27, country: 'Singapore', level: 12 },
      { user_id: 10006, nickname: '老王', sex: 'male', age: 45, city: 'Chengdu', level: 80 },
      { user_id: 10007, nickname: 'Frank', sex: 'male', age: 33, level: 9 },
      { user_id: 10008, nickname: 'Grace', sex: 'female', age: 22, bio: 'Just passing by', level: 5 },
      { user_id: 10009, nickname: 'Heidi', sex: 'female', age: 29, level: 16 },
    ],
    categories: [
      { category_id: 0, name: '我的好友' },
      { category_id: 1, name: '家人' },
      { category_id: 2, name: '同学' },
    ],
    friends: [
      { user_id: 10002, category_id: 2, remark: 'Alice (classmate)' },
      { user_id: 10003, category_id: 0 },
      { user_id: 10004, category_id: 1, remark: '妹妹' },
      { user_id: 10005, category_id: 0 },
    ],
    groups: [
      {
        group_id: 20001,
        name: 'Milky 开发者',
        max_member_count: 500,
        description: 'Building bots on the Milky protocol',
        question: 'Which protocol do you use?',
        members: [
          { user_id: 10001, role: 'owner', title: '群主' },
          { user_id: 10002, role: 'admin', card: 'Alice | maintainer' },
          { user_id: 10003, card: 'Bob' },
          { user_id: 10004 },
          { user_id: 10006, card: '王工' },
        ],
      },
      {
        group_id: 20002,
        name: 'Bot 测试群',
        max_member_count: 200,
        members: [{ user_id: 10005, role: 'owner' }, { user_id: 10001, role: 'admin' }, { user_id: 10002 }, { user_id: 10007 }],
      },
      {
        group_id: 20003,
        name: '周末闲聊',
        max_member_count: 2000,
        members: [
          { user_id: 10006, role: 'owner' },
          { user_id: 10007, role: 'admin' },
          { user_id: 10001 },
          { user_id: 10003 },
          { user_id: 10008 },
        ],
      },
      {
        group_id: 20004,
        name: 'Heidi 的读书会',
        max_member_count: 200,
        description: 'A group the bot is not in yet: invite it from the sandbox',
        members: [{ user_id: 10009, role: 'owner' }, { user_id: 10004 }],
      },
    ],
    messages: [
      { scene: 'friend', peer_id: 10002, sender_id: 10002, text: 'Hi bot! Are you there?', minutes_ago: 180 },
      { scene: 'friend', peer_id: 10002, sender_id: 10001, text: 'Always. What can I do for you?', minutes_ago: 179 },
      { scene: 'friend', peer_id: 10002, sender_id: 10002, segments: [{ type: 'image', data: { uri: image(7) } }], minutes_ago: 178 },
      { scene: 'friend', peer_id: 10003, sender_id: 10003, text: '/help', minutes_ago: 90 },
      {
        scene: 'friend',
        peer_id: 10004,
        sender_id: 10004,
        segments: [
          { type: 'face', data: { face_id: '14' } },
          { type: 'text', data: { text: ' 晚安' } },
        ],
        minutes_ago: 30,
      },
      { scene: 'group', peer_id: 20001, sender_id: 10002, text: 'Welcome to the Milky developers group', minutes_ago: 240 },
      { scene: 'group', peer_id: 20001, sender_id: 10003, text: 'Has anyone tried the SSE transport?', minutes_ago: 120 },
      {
        scene: 'group',
        peer_id: 20001,
        sender_id: 10002,
        segments: [
          { type: 'reply', data: { message_seq: 2 } },
          { type: 'mention', data: { user_id: 10003 } },
          { type: 'text', data: { text: ' yes, it resumes with Last-Event-ID' } },
        ],
        minutes_ago: 118,
      },
      {
        scene: 'group',
        peer_id: 20001,
        sender_id: 10006,
        segments: [{ type: 'image', data: { uri: image(42), summary: '[截图]' } }],
        minutes_ago: 60,
      },
      { scene: 'group', peer_id: 20001, sender_id: 10001, text: 'Reminder: the weekly sync is tomorrow', minutes_ago: 20 },
      { scene: 'group', peer_id: 20002, sender_id: 10005, text: 'This group is for testing bots. Go wild.', minutes_ago: 300 },
      { scene: 'group', peer_id: 20002, sender_id: 10007, text: 'ping', minutes_ago: 10 },
      { scene: 'group', peer_id: 20003, sender_id: 10006, text: '周末去爬山吗？', minutes_ago: 500 },
      { scene: 'group', peer_id: 20003, sender_id: 10008, text: '我去！', minutes_ago: 495 },
      {
        scene: 'temp',
        peer_id: 10008,
        sender_id: 10008,
        via_group: 20003,
        text: 'Hi, I found you in 周末闲聊. Are you a bot?',
        minutes_ago: 45,
      },
    ],
    friend_requests: [
      { user_id: 10009, comment: '你好，我是读书会的 Heidi', via: 'QQ号查找' },
      { user_id: 10007, comment: 'add me', via: '群聊', filtered: true },
    ],
    join_requests: [
      { group_id: 20001, user_id: 10008, comment: 'Milky, of course' },
      { group_id: 20001, user_id: 10009, comment: '想学习一下' },
    ],
    announcements: [{ group_id: 20001, user_id: 10001, content: 'Read the pinned docs before asking. Be kind.' }],
    group_files: [
      {
        group_id: 20001,
        user_id: 10002,
        name: 'milky-1.2-notes.md',
        text: '# Notes on Milky 1.2\n\n- SSE on /event\n- peer pins\n',
        folder: 'docs',
      },
      { group_id: 20001, user_id: 10003, name: 'bot.log', text: '[info] started\n[warn] reconnecting\n', expires_in_days: 7 },
    ],
  };
}

/** A world with only the bot account. */
export function emptySeed(): WorldSeed {
  return { self: { user_id: 10001, nickname: 'Milky Bot' }, categories: [{ category_id: 0, name: '我的好友' }] };
}

/** Fills a new world from a seed, sending no events. */
export async function applySeed(world: World, seed: WorldSeed): Promise<void> {
  const { db } = world;
  const now = world.now();
  const users = [seed.self, ...(seed.users ?? [])];
  const ids = new Set<number>();
  for (const user of users) {
    if (ids.has(user.user_id)) throw new SeedError(`user ${user.user_id} is listed twice`);
    ids.add(user.user_id);
  }
  const known = (id: number, where: string) => {
    if (!ids.has(id)) throw new SeedError(`${where} names user ${id}, who is not in self or users`);
  };
  const prepared: PreparedMessage[] = [];
  for (const [index, message] of (seed.messages ?? []).entries()) {
    // The send path's first half: defaults and resources, outside the seed's change.
    const segments = (message.segments ?? [{ type: 'text', data: { text: message.text } }]) as OutgoingSegment[];
    prepared.push(await world.messages.prepare(segments, `messages[${index}].segments`).catch(seedFailure));
  }
  const faces = [drawPng(96, 0xffb703, 0xfb8500), drawPng(96, 0x8ecae6, 0x219ebc)];
  world.tx.silently(() => {
    try {
      fill();
    } catch (error) {
      seedFailure(error);
    }
  });
  function fill() {
    // The whole world is filled in one change; the services' own changes join it.
    world.tx.change(() => {
      db.setMeta('self_id', String(seed.self.user_id));
      world.store.setSelf(seed.self.user_id);
      for (const user of users) world.people.createUser(user);
      const categories = seed.categories ?? [{ category_id: 0, name: '我的好友' }];
      for (const category of categories) db.insert('friend_categories', { category_id: category.category_id, name: category.name });
      for (const [index, friend] of (seed.friends ?? []).entries()) {
        known(friend.user_id, `friends[${index}]`);
        const category = friend.category_id ?? categories[0]?.category_id ?? 0;
        if (!categories.some((c) => c.category_id === category))
          throw new SeedError(`friends[${index}] names category ${category}, which is not in categories`);
        db.insert('friends', { user_id: friend.user_id, category_id: category, remark: friend.remark ?? '' });
      }
      for (const [index, group] of (seed.groups ?? []).entries()) {
        const owners = group.members.filter((member) => member.role === 'owner');
        if (owners.length !== 1) throw new SeedError(`groups[${index}] needs exactly one member with role "owner"`);
        db.insert('groups', {
          group_id: group.group_id,
          name: group.name,
          max_member_count: group.max_member_count ?? 200,
          remark: group.remark ?? '',
          created_time: now - 86400 * (30 + index),
          description: group.description ?? '',
          question: group.question ?? '',
        });
        group.members.forEach((member, m) => {
          known(member.user_id, `groups[${index}].members[${m}]`);
          db.insert('members', {
            group_id: group.group_id,
            user_id: member.user_id,
            card: member.card ?? '',
            title: member.title ?? '',
            level: member.level ?? 1,
            role: member.role ?? 'member',
            join_time: now - 86400 * (29 + index) + m * 60,
            last_sent_time: 0,
          });
        });
      }
      for (const [index, message] of (seed.messages ?? []).entries()) {
        known(message.sender_id, `messages[${index}]`);
        // The send path's second half: the sender checked and the message committed.
        world.messages.send(
          message.sender_id,
          { scene: message.scene, peerId: message.peer_id, viaGroup: message.via_group },
          prepared[index] as PreparedMessage,
          `messages[${index}].segments`,
          now - 60 * (message.minutes_ago ?? 0),
        );
      }
      for (const request of seed.friend_requests ?? []) {
        world.people.requestFriendship(request.user_id, request.comment ?? '', request.via ?? 'QQ号查找', request.filtered ?? false);
      }
      for (const request of seed.join_requests ?? [])
        world.groups.requestJoin(request.user_id, request.group_id, request.comment ?? '', request.filtered ?? false);
      for (const announcement of seed.announcements ?? [])
        world.groups.announce(announcement.user_id, announcement.group_id, announcement.content);
      for (const file of seed.group_files ?? []) {
        let folder = '/';
        if (file.folder) {
          const found = db.get<{ folder_id: string }>(
            'SELECT folder_id FROM group_folders WHERE group_id = ? AND name = ?',
            file.group_id,
            file.folder,
          );
          folder =
            found?.folder_id ??
            world.files.createFolder(
              world.store.member(file.group_id, file.user_id)?.role === 'member' ? seed.self.user_id : file.user_id,
              file.group_id,
              file.folder,
            );
        }
        const expires = file.expires_in_days === undefined ? undefined : world.now() + file.expires_in_days * 24 * 3600;
        world.files.uploadGroup(file.user_id, file.group_id, folder, Buffer.from(file.text), file.name, expires);
      }
      for (const face of faces) db.insert('custom_faces', { resource_id: world.resources.put(face, 'image').resourceId });
    });
  }
}

/** Failures of the world's own rules while seeding are the seed's fault. */
function seedFailure(error: unknown): never {
  if (error instanceof SeedError) throw error;
  if (error instanceof MilkyApiError) throw new SeedError(error.message);
  throw error;
}
