// The sandbox's actions: everyone other than the bot, played from outside. Each action is a
// schema of its input and what it does to the world; the world checks the actor's rights and
// sends the events the protocol defines, exactly as for the bot's own API calls.

import {
  applyDefaults,
  type IncomingMessage,
  IncomingSegment,
  MilkyApiError,
  type MilkySchema,
  OutgoingSegment,
  type OutgoingSegmentResolved,
  retcodes,
  validator,
} from '@milky/types';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { invalidArgument, notFound } from '../errors.ts';
import { isIncomingOnly, type SendableSegment } from '../world/messages.ts';
import type { Scene, World } from '../world/world.ts';

const Uin = Type.Integer({ minimum: 10001, maximum: 4294967295 });
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Actor = { as: Uin };
const Opt = Type.Optional;
const SceneSchema = Type.Union([Type.Literal('friend'), Type.Literal('group'), Type.Literal('temp')]);
/** Where a message goes: a group (`group_id`), a temporary chat through a group (`via_group_id`), or else the actor's friend chat. */
const Where = { group_id: Opt(Uin), via_group_id: Opt(Uin) };

function object<P extends Record<string, TSchema>>(properties: P, description: string) {
  return Type.Object(properties, { additionalProperties: false, description });
}

/** Every action: its input, and a line for help texts. */
export const actionSchemas = {
  create_user: object(
    {
      user_id: Opt(Uin),
      nickname: Type.String({ minLength: 1 }),
      sex: Opt(Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')])),
      qid: Opt(Type.String()),
      age: Opt(Type.Integer({ minimum: 0, maximum: 150 })),
      level: Opt(Type.Integer({ minimum: 0 })),
      city: Opt(Type.String()),
      bio: Opt(Type.String()),
    },
    'add a person to the world',
  ),
  create_group: object(
    {
      group_id: Opt(Uin),
      name: Type.String({ minLength: 1 }),
      owner_id: Uin,
      members: Opt(
        Type.Array(object({ user_id: Uin, role: Opt(Type.Union([Type.Literal('admin'), Type.Literal('member')])) }, 'a member')),
      ),
      max_member_count: Opt(Type.Integer({ minimum: 2 })),
      description: Opt(Type.String()),
    },
    'create a group with its members (the bot among them or not)',
  ),
  befriend: object({ user_id: Uin, remark: Opt(Type.String()) }, 'make a user a friend of the bot at once'),
  say: object({ ...Actor, ...Where, segments: Type.Array(Type.Unknown(), { minItems: 1 }) }, 'send a message'),
  recall: object({ ...Actor, ...Where, message_seq: Seq }, "recall one's message, or as an admin a member's"),
  nudge: object({ ...Actor, group_id: Opt(Uin), user_id: Opt(Uin) }, 'nudge the bot (or, in a group, any member)'),
  friend_request: object(
    { ...Actor, comment: Opt(Type.String()), via: Opt(Type.String()), filtered: Opt(Type.Boolean()) },
    'ask the bot to be friends',
  ),
  join_request: object({ ...Actor, group_id: Uin, comment: Opt(Type.String()), filtered: Opt(Type.Boolean()) }, 'ask to join a group'),
  invite: object({ ...Actor, group_id: Uin, user_id: Uin }, 'invite someone into a group'),
  invite_bot: object({ ...Actor, group_id: Uin, source_group_id: Opt(Uin) }, 'invite the bot into a group'),
  join: object({ ...Actor, group_id: Uin }, 'join a group directly'),
  leave: object({ ...Actor, group_id: Uin }, 'leave a group'),
  disband: object({ ...Actor, group_id: Uin }, 'disband a group, as its owner: it is gone from the world'),
  kick: object({ ...Actor, group_id: Uin, user_id: Uin, block: Opt(Type.Boolean()) }, 'remove a member (the bot too)'),
  mute: object(
    { ...Actor, group_id: Uin, user_id: Uin, duration: Type.Integer({ minimum: 0 }) },
    'mute a member for some seconds; 0 lifts it',
  ),
  whole_mute: object({ ...Actor, group_id: Uin, on: Type.Boolean() }, 'turn whole-group mute on or off'),
  rename_group: object({ ...Actor, group_id: Uin, name: Type.String() }, 'rename a group'),
  set_admin: object({ ...Actor, group_id: Uin, user_id: Uin, is_set: Opt(Type.Boolean()) }, 'appoint or dismiss an admin'),
  essence: object({ ...Actor, group_id: Uin, message_seq: Seq, is_set: Opt(Type.Boolean()) }, 'mark or unmark an essence message'),
  react: object(
    {
      ...Actor,
      group_id: Uin,
      message_seq: Seq,
      reaction: Type.String({ minLength: 1 }),
      reaction_type: Opt(Type.Union([Type.Literal('face'), Type.Literal('emoji')])),
      is_add: Opt(Type.Boolean()),
    },
    'react to a group message',
  ),
  upload: object(
    { ...Actor, group_id: Opt(Uin), folder_id: Opt(Type.String()), name: Type.String({ minLength: 1 }), uri: Type.String() },
    "upload a file to a group, or send it in the actor's friend chat",
  ),
  pin: object({ scene: SceneSchema, peer_id: Uin, pinned: Type.Boolean() }, 'pin or unpin a chat of the bot, as from another device'),
  offline: object({ reason: Opt(Type.String()) }, 'take the bot offline (APIs answer -403)'),
  online: object({}, 'bring the bot back online'),
  world: object({}, 'everyone, the friends, and every group with its members'),
  messages: object(
    { scene: SceneSchema, peer_id: Uin, before: Opt(Seq), limit: Opt(Type.Integer({ minimum: 1, maximum: 30 })) },
    'a page of a chat',
  ),
  file_url: object({ file_id: Type.String({ minLength: 1 }) }, 'a download link of a file of a message'),
} as const;

/** The name of a sandbox action: `say`, `mute`, `create_user`… */
export type ActionName = keyof typeof actionSchemas;
/** What the sandbox action `N` takes. */
export type ActionInput<N extends ActionName> = Static<(typeof actionSchemas)[N]>;

/** What the `world` action answers: the bot, every person and every group of the world. */
export interface WorldOverview {
  self_id: number;
  /** Whether the world is kept on disk (false for an in-memory world that ends with the process). */
  persistent: boolean;
  users: Array<{ user_id: number; nickname: string; is_friend: boolean }>;
  groups: Array<{
    group_id: number;
    name: string;
    whole_mute: boolean;
    members: Array<{ user_id: number; role: string; card: string; muted: boolean }>;
  }>;
}

export interface ActionOutputs {
  create_user: { user_id: number };
  create_group: { group_id: number };
  say: { message_seq: number; time: number };
  invite: { notification_seq?: number };
  invite_bot: { invitation_seq: number };
  friend_request: { initiator_uid: string };
  join_request: { notification_seq: number };
  upload: { file_id: string };
  world: WorldOverview;
  messages: { messages: IncomingMessage[]; next_message_seq?: number };
  file_url: { url: string };
}

/** What the sandbox action `N` answers. */
export type ActionOutput<N extends ActionName> = N extends keyof ActionOutputs ? ActionOutputs[N] : Record<string, never>;

export interface SandboxHost {
  readonly world: World;
  setOnline(online: boolean, reason?: string): void;
}

type Runner = (input: never) => unknown;

const validators = Object.fromEntries(
  Object.entries(actionSchemas).map(([name, schema]) => [name, validator(schema as unknown as MilkySchema<unknown>)]),
) as Record<ActionName, ReturnType<typeof validator<unknown>>>;

const outgoing = validator(OutgoingSegment);
const incoming = validator(IncomingSegment);

/** Checks the segments of `say`: outgoing segments, plus the incoming-only ones (market faces, XML cards, Markdown). */
function sendable(segments: unknown[]): SendableSegment[] {
  return segments.map((segment, index) => {
    const type = (segment as { type?: unknown } | null)?.type;
    const check = isIncomingOnly(type) ? incoming : outgoing;
    const issue = check.issues(segment, 1)[0];
    if (issue) {
      const at = issue.path === '(root)' ? `segments[${index}]` : `segments[${index}].${issue.path}`;
      throw invalidArgument(at, `expected ${issue.expected}, got ${issue.received}`);
    }
    return isIncomingOnly(type)
      ? (segment as SendableSegment)
      : (applyDefaults(OutgoingSegment, segment as OutgoingSegment) as OutgoingSegmentResolved);
  });
}

function chatOf(actor: number, input: { group_id?: number; via_group_id?: number }): { scene: Scene; peerId: number; viaGroup?: number } {
  if (input.group_id !== undefined) return { scene: 'group', peerId: input.group_id };
  if (input.via_group_id !== undefined) return { scene: 'temp', peerId: actor, viaGroup: input.via_group_id };
  return { scene: 'friend', peerId: actor };
}

function overview(world: World): WorldOverview {
  const { db } = world;
  const users = db.all<{ user_id: number; nickname: string; is_friend: number }>(
    'SELECT u.user_id, u.nickname, (f.user_id IS NOT NULL) AS is_friend FROM users u LEFT JOIN friends f ON f.user_id = u.user_id ORDER BY u.user_id',
  );
  const groups = db.all<{ group_id: number; name: string; whole_mute: number }>(
    'SELECT group_id, name, whole_mute FROM groups ORDER BY group_id',
  );
  const now = world.now();
  const main = db.all<{ name: string; file: string }>('PRAGMA database_list').find((entry) => entry.name === 'main');
  return {
    self_id: world.selfId,
    persistent: (main?.file ?? '') !== '',
    users: users.map((user) => ({ ...user, is_friend: user.is_friend === 1 })),
    groups: groups.map((group) => ({
      group_id: group.group_id,
      name: group.name,
      whole_mute: group.whole_mute === 1,
      members: db
        .all<{ user_id: number; role: string; card: string; mute_until: number }>(
          'SELECT user_id, role, card, mute_until FROM members WHERE group_id = ? ORDER BY join_time, user_id',
          group.group_id,
        )
        .map(({ mute_until, ...member }) => ({ ...member, muted: mute_until > now })),
    })),
  };
}

/** What each action does. */
function runners(host: SandboxHost): { [N in ActionName]: (input: ActionInput<N>) => unknown } {
  const { world } = host;
  const bot = () => world.selfId;
  const actor = (as: number) => world.requireUser(as).user_id;
  return {
    create_user: (input) => ({ user_id: world.people.createUser(input).user_id }),
    create_group: (input) => ({ group_id: world.groups.create(input) }),
    befriend: ({ user_id, remark }) => world.people.addFriend(user_id, remark),
    say: async (input) => {
      const chat = chatOf(actor(input.as), input);
      const prepared = await world.messages.prepare(sendable(input.segments), 'segments');
      return world.messages.send(input.as, chat, prepared, 'segments');
    },
    recall: (input) => {
      const chat = chatOf(actor(input.as), input);
      world.messages.recall(input.as, chat.scene, chat.peerId, input.message_seq);
    },
    nudge: ({ as, group_id, user_id }) => {
      actor(as);
      if (group_id === undefined) world.people.nudgeFriend(as, as, user_id === as);
      else world.groups.nudge(as, group_id, user_id ?? bot());
    },
    friend_request: ({ as, comment, via, filtered }) => ({
      initiator_uid: world.people.requestFriendship(as, comment ?? '', via ?? 'QQ号查找', filtered ?? false).initiator_uid,
    }),
    join_request: ({ as, group_id, comment, filtered }) => ({
      notification_seq: world.groups.requestJoin(as, group_id, comment ?? '', filtered ?? false),
    }),
    invite: ({ as, group_id, user_id }) => {
      const seq = world.groups.invite(as, group_id, user_id);
      return seq === undefined ? {} : { notification_seq: seq };
    },
    invite_bot: ({ as, group_id, source_group_id }) => ({ invitation_seq: world.groups.inviteBot(as, group_id, source_group_id) }),
    join: ({ as, group_id }) => world.groups.joinDirectly(actor(as), group_id),
    leave: ({ as, group_id }) => world.groups.quit(actor(as), group_id),
    disband: ({ as, group_id }) => world.groups.disband(actor(as), group_id),
    kick: ({ as, group_id, user_id, block }) => world.groups.kick(actor(as), group_id, user_id, block ?? false),
    mute: ({ as, group_id, user_id, duration }) => world.groups.mute(actor(as), group_id, user_id, duration),
    whole_mute: ({ as, group_id, on }) => world.groups.wholeMute(actor(as), group_id, on),
    rename_group: ({ as, group_id, name }) => world.groups.setName(actor(as), group_id, name),
    set_admin: ({ as, group_id, user_id, is_set }) => world.groups.setAdmin(actor(as), group_id, user_id, is_set ?? true),
    essence: ({ as, group_id, message_seq, is_set }) => world.groups.setEssence(actor(as), group_id, message_seq, is_set ?? true),
    react: ({ as, group_id, message_seq, reaction, reaction_type, is_add }) =>
      world.groups.react(actor(as), group_id, message_seq, reaction, reaction_type ?? 'face', is_add ?? true),
    upload: async ({ as, group_id, folder_id, name, uri }) => {
      actor(as);
      const { data } = await world.read(uri, 'uri');
      if (group_id === undefined) return { file_id: world.files.uploadPrivate(as, as, data, name) };
      return { file_id: world.files.uploadGroup(as, group_id, folder_id ?? '/', data, name) };
    },
    pin: ({ scene, peer_id, pinned }) => world.people.setPin(scene, peer_id, pinned),
    offline: ({ reason }) => host.setOnline(false, reason ?? 'logged out from the sandbox'),
    online: () => host.setOnline(true),
    world: () => overview(world),
    messages: ({ scene, peer_id, before, limit }) => world.messages.history(scene, peer_id, before, limit ?? 30),
    file_url: ({ file_id }) => {
      const url = world.files.url(file_id);
      if (!url) throw notFound(`no file ${JSON.stringify(file_id)}`);
      return { url };
    },
  };
}

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actionSchemas, name);
}

/** Runs actions on a world: checks the input (failing with the field at fault), then acts. */
export function sandbox(host: SandboxHost): <N extends ActionName>(name: N, input: unknown) => Promise<ActionOutput<N>> {
  const table = runners(host) as Record<ActionName, Runner>;
  return async (name, input) => {
    const issue = validators[name].issues(input, 1)[0];
    if (issue) throw new MilkyApiError(retcodes.invalidInput, `invalid parameters: ${issue.message}`);
    return ((await table[name](input as never)) ?? {}) as ActionOutput<typeof name>;
  };
}
