// The sandbox's actions: everyone other than the bot, played from outside. Each action is one
// entry of `actions`: its input (with the protocol's field names), its output, a line of help,
// the words its command line takes, and what it does to the world. The HTTP runner, `GET /control`,
// the `milky-sandbox` command and `SandboxClient` are all derived from this table; the world checks
// the actor's rights and sends the events the protocol defines, exactly as for the bot's own calls.

import {
  applyDefaults,
  type GroupFileEntity,
  type GroupFolderEntity,
  type IncomingForwardedMessage,
  type IncomingMessage,
  IncomingSegment,
  MilkyApiError,
  type MilkySchema,
  OutgoingSegment,
  type OutgoingSegmentResolved,
  retcodes,
  validator,
} from '@milky/types';
import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { invalidArgument, notFound } from '../errors.ts';
import { isIncomingOnly, type SendableSegment } from '../world/messages.ts';
import type { Scene, World } from '../world/world.ts';

/** What the actions act on: the world, and the bot's login state. */
export interface SandboxHost {
  /** The world the actions change. */
  readonly world: World;
  /** Logs the bot in or out (out sends `bot_offline` with `reason`; the APIs then answer -403). */
  setOnline(online: boolean, reason?: string): void;
}

/** A QQ number, described for `GET /control` and the help. */
const qq = (description = 'a QQ number') => Type.Integer({ minimum: 10001, maximum: 4294967295, description });
const Uin = qq();
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'a message sequence' });
const Opt = Type.Optional;
const SceneSchema = Type.Union([Type.Literal('friend'), Type.Literal('group'), Type.Literal('temp')], { description: 'a chat kind' });
const Actor = { as: qq('who acts (not the bot)') };
/** Where a message goes: a group (`group_id`), a temporary chat through a group (`via_group_id`), or else the actor's friend chat. */
const Where = { group_id: Opt(qq('the group chat')), via_group_id: Opt(qq('a temporary chat through this group')) };

function object<P extends Record<string, TSchema>>(properties: P, description?: string) {
  return Type.Object(properties, { additionalProperties: false, ...(description === undefined ? {} : { description }) });
}

const Nothing = object({});
/** What the `messages` action answers: a page of a chat, as `get_history_messages` would. */
export interface MessagesPage {
  messages: IncomingMessage[];
  next_message_seq?: number;
}
/** Its schema: each message an object (Milky's `IncomingMessage`, which the protocol's schemas describe). */
const Page = object({
  messages: Type.Array(Type.Object({}, { description: "a message, as Milky's IncomingMessage" })),
  next_message_seq: Opt(Type.Integer()),
}) as TSchema as TSchema & { static: MessagesPage };

/** What the `world` action answers: the bot, every person and every group of the world. */
const Overview = object({
  self_id: Type.Integer(),
  persistent: Type.Boolean({ description: 'whether the world is kept on disk (false for an in-memory world that ends with the process)' }),
  users: Type.Array(object({ user_id: Type.Integer(), nickname: Type.String(), is_friend: Type.Boolean() })),
  groups: Type.Array(
    object({
      group_id: Type.Integer(),
      name: Type.String(),
      is_mute: Type.Boolean({ description: 'whole-group mute' }),
      members: Type.Array(object({ user_id: Type.Integer(), role: Type.String(), card: Type.String(), is_mute: Type.Boolean() })),
    }),
  ),
});

/** What the `group_files` action answers: a folder's files and folders. */
export interface FolderListing {
  files: GroupFileEntity[];
  folders: GroupFolderEntity[];
}
/** Its schema: each entry an object (Milky's `GroupFileEntity` and `GroupFolderEntity`, which the protocol's schemas describe). */
const FolderListing = object({
  files: Type.Array(Type.Object({}, { description: "a file, as Milky's GroupFileEntity" })),
  folders: Type.Array(Type.Object({}, { description: "a folder, as Milky's GroupFolderEntity" })),
}) as TSchema as TSchema & { static: FolderListing };

/** What the `forwarded_messages` action answers: the messages of a forwarded bundle, as `get_forwarded_messages` would. */
export interface ForwardedBundle {
  messages: IncomingForwardedMessage[];
}
/** Its schema: each message an object (Milky's `IncomingForwardedMessage`, which the protocol's schemas describe). */
const Bundle = object({
  messages: Type.Array(Type.Object({}, { description: "a message, as Milky's IncomingForwardedMessage" })),
}) as TSchema as TSchema & { static: ForwardedBundle };

/**
 * What the `world` action answers.
 * @useDeclaredType
 */
export type WorldOverview = Static<typeof Overview>;

/** One sandbox action. */
export interface Action<I extends TObject = TObject, O extends TSchema = TSchema> {
  /** One line for help texts. */
  readonly help: string;
  readonly input: I;
  readonly output: O;
  /**
   * The fields the command line takes as words, in order (`mute 10003 600`); `...field` takes the
   * rest of the line (`say hello world`). Every field is also a flag.
   */
  readonly words?: readonly string[];
  /** What it does: a thin call of the world's services. */
  readonly run: (host: SandboxHost, input: Static<I>) => Static<O> | undefined | Promise<Static<O> | undefined>;
}

function action<I extends TObject, O extends TSchema = typeof Nothing>(entry: {
  help: string;
  input: I;
  output?: O;
  words?: readonly string[];
  // biome-ignore lint/suspicious/noConfusingVoidType: `void` lets runners that only act (`() => world.groups.quit(…)`) be entries.
  run: (host: SandboxHost, input: Static<I>) => Static<O> | undefined | void | Promise<Static<O> | undefined | void>;
}): Action<I, O> {
  return Object.freeze({ ...entry, output: entry.output ?? (Nothing as unknown as O) }) as Action<I, O>;
}

const actor = (world: World, as: number) => world.requireUser(as).user_id;

/** Every sandbox action, by name. */
export const actions = Object.freeze({
  create_user: action({
    help: 'add a person to the world',
    input: object({
      user_id: Opt(Uin),
      nickname: Type.String({ minLength: 1 }),
      sex: Opt(Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')])),
      qid: Opt(Type.String()),
      age: Opt(Type.Integer({ minimum: 0, maximum: 150 })),
      level: Opt(Type.Integer({ minimum: 0 })),
      city: Opt(Type.String()),
      bio: Opt(Type.String()),
    }),
    output: object({ user_id: Type.Integer() }),
    words: ['...nickname'],
    run: ({ world }, input) => ({ user_id: world.people.createUser(input).user_id }),
  }),
  create_group: action({
    help: 'create a group with its members (the bot among them or not)',
    input: object({
      group_id: Opt(Uin),
      name: Type.String({ minLength: 1 }),
      owner_id: Uin,
      members: Opt(
        Type.Array(object({ user_id: Uin, role: Opt(Type.Union([Type.Literal('admin'), Type.Literal('member')])) }, 'a member'), {
          maxItems: 10000,
        }),
      ),
      max_member_count: Opt(Type.Integer({ minimum: 2 })),
      description: Opt(Type.String()),
    }),
    output: object({ group_id: Type.Integer() }),
    words: ['...name'],
    run: ({ world }, input) => ({ group_id: world.groups.create(input) }),
  }),
  befriend: action({
    help: 'make a user a friend of the bot at once',
    input: object({ user_id: Uin, remark: Opt(Type.String()) }),
    words: ['user_id'],
    run: ({ world }, { user_id, remark }) => world.people.addFriend(user_id, remark),
  }),
  say: action({
    help: "send a message: in --group_id, in a temporary chat --via_group_id, or in the actor's chat with the bot",
    input: object({
      ...Actor,
      ...Where,
      message: Type.Array(Type.Unknown(), {
        minItems: 1,
        description: 'outgoing segments, and the incoming-only market_face, xml and markdown',
      }),
    }),
    output: object({ message_seq: Type.Integer(), time: Type.Integer() }),
    words: ['...message'],
    run: async ({ world }, input) => {
      const chat = chatOf(actor(world, input.as), input);
      const prepared = await world.messages.prepare(sendable(input.message), 'message');
      return world.messages.send(input.as, chat, prepared, 'message');
    },
  }),
  recall: action({
    help: "recall one's message, or as an admin a member's",
    input: object({ ...Actor, ...Where, message_seq: Seq }),
    words: ['message_seq'],
    run: ({ world }, input) => {
      const chat = chatOf(actor(world, input.as), input);
      world.messages.recall(input.as, chat.scene, chat.peerId, input.message_seq);
    },
  }),
  nudge: action({
    help: 'nudge the bot in the friend chat, or in a group any member (the bot by default)',
    input: object({ ...Actor, group_id: Opt(Uin), user_id: Opt(Uin) }),
    run: ({ world }, { as, group_id, user_id }) => {
      actor(world, as);
      if (group_id === undefined) world.people.nudgeFriend(as, as, user_id === as);
      else world.groups.nudge(as, group_id, user_id ?? world.selfId);
    },
  }),
  friend_request: action({
    help: 'ask the bot to be friends',
    input: object({ ...Actor, comment: Opt(Type.String()), via: Opt(Type.String()), is_filtered: Opt(Type.Boolean()) }),
    output: object({ initiator_uid: Type.String() }),
    words: ['...comment'],
    run: ({ world }, { as, comment, via, is_filtered }) => ({
      initiator_uid: world.people.requestFriendship(as, comment ?? '', via ?? 'QQ号查找', is_filtered ?? false).initiator_uid,
    }),
  }),
  join_request: action({
    help: 'ask to join a group',
    input: object({ ...Actor, group_id: Uin, comment: Opt(Type.String()), is_filtered: Opt(Type.Boolean()) }),
    output: object({ notification_seq: Type.Integer() }),
    words: ['group_id', '...comment'],
    run: ({ world }, { as, group_id, comment, is_filtered }) => ({
      notification_seq: world.groups.requestJoin(as, group_id, comment ?? '', is_filtered ?? false),
    }),
  }),
  invite: action({
    help: "invite someone into a group (an admin's invitation takes effect at once)",
    input: object({ ...Actor, group_id: Uin, user_id: Uin }),
    output: object({ notification_seq: Opt(Type.Integer()) }),
    words: ['user_id'],
    run: ({ world }, { as, group_id, user_id }) => {
      const seq = world.groups.invite(as, group_id, user_id);
      return seq === undefined ? {} : { notification_seq: seq };
    },
  }),
  invite_bot: action({
    help: 'invite the bot into a group',
    input: object({ ...Actor, group_id: Uin, source_group_id: Opt(Uin) }),
    output: object({ invitation_seq: Type.Integer() }),
    words: ['group_id'],
    run: ({ world }, { as, group_id, source_group_id }) => ({ invitation_seq: world.groups.inviteBot(as, group_id, source_group_id) }),
  }),
  join: action({
    help: 'join a group directly',
    input: object({ ...Actor, group_id: Uin }),
    words: ['group_id'],
    run: ({ world }, { as, group_id }) => world.groups.joinDirectly(actor(world, as), group_id),
  }),
  leave: action({
    help: 'leave a group',
    input: object({ ...Actor, group_id: Uin }),
    words: ['group_id'],
    run: ({ world }, { as, group_id }) => world.groups.quit(actor(world, as), group_id),
  }),
  disband: action({
    help: 'disband a group, as its owner: it is gone from the world',
    input: object({ ...Actor, group_id: Uin }),
    words: ['group_id'],
    run: ({ world }, { as, group_id }) => world.groups.disband(actor(world, as), group_id),
  }),
  kick: action({
    help: 'remove a member (the bot too)',
    input: object({ ...Actor, group_id: Uin, user_id: Uin, reject_add_request: Opt(Type.Boolean()) }),
    words: ['user_id'],
    run: ({ world }, { as, group_id, user_id, reject_add_request }) =>
      world.groups.kick(actor(world, as), group_id, user_id, reject_add_request ?? false),
  }),
  mute: action({
    help: 'mute a member for some seconds; 0 lifts it',
    input: object({ ...Actor, group_id: Uin, user_id: Uin, duration: Type.Integer({ minimum: 0 }) }),
    words: ['user_id', 'duration'],
    run: ({ world }, { as, group_id, user_id, duration }) => world.groups.mute(actor(world, as), group_id, user_id, duration),
  }),
  whole_mute: action({
    help: 'turn whole-group mute on or off',
    input: object({ ...Actor, group_id: Uin, is_mute: Type.Boolean() }),
    words: ['is_mute'],
    run: ({ world }, { as, group_id, is_mute }) => world.groups.wholeMute(actor(world, as), group_id, is_mute),
  }),
  rename_group: action({
    help: 'rename a group',
    input: object({ ...Actor, group_id: Uin, new_group_name: Type.String() }),
    words: ['...new_group_name'],
    run: ({ world }, { as, group_id, new_group_name }) => world.groups.setName(actor(world, as), group_id, new_group_name),
  }),
  set_admin: action({
    help: 'appoint or dismiss an admin',
    input: object({ ...Actor, group_id: Uin, user_id: Uin, is_set: Opt(Type.Boolean()) }),
    words: ['user_id', 'is_set'],
    run: ({ world }, { as, group_id, user_id, is_set }) => world.groups.setAdmin(actor(world, as), group_id, user_id, is_set ?? true),
  }),
  essence: action({
    help: 'mark or unmark an essence message',
    input: object({ ...Actor, group_id: Uin, message_seq: Seq, is_set: Opt(Type.Boolean()) }),
    words: ['message_seq', 'is_set'],
    run: ({ world }, { as, group_id, message_seq, is_set }) =>
      world.groups.setEssence(actor(world, as), group_id, message_seq, is_set ?? true),
  }),
  react: action({
    help: 'react to a group message',
    input: object({
      ...Actor,
      group_id: Uin,
      message_seq: Seq,
      reaction: Type.String({ minLength: 1 }),
      reaction_type: Opt(Type.Union([Type.Literal('face'), Type.Literal('emoji')])),
      is_add: Opt(Type.Boolean()),
    }),
    words: ['message_seq', 'reaction'],
    run: ({ world }, { as, group_id, message_seq, reaction, reaction_type, is_add }) =>
      world.groups.react(actor(world, as), group_id, message_seq, reaction, reaction_type ?? 'face', is_add ?? true),
  }),
  upload: action({
    help: "upload a file to a group, or send it in the actor's chat with the bot",
    input: object({
      ...Actor,
      group_id: Opt(Uin),
      parent_folder_id: Opt(Type.String()),
      file_name: Type.String({ minLength: 1 }),
      file_uri: Type.String({ description: 'file://, http(s):// or base64://' }),
    }),
    output: object({ file_id: Type.String() }),
    words: ['file_uri'],
    run: async ({ world }, { as, group_id, parent_folder_id, file_name, file_uri }) => {
      actor(world, as);
      const { data } = await world.read(file_uri, 'file_uri');
      if (group_id === undefined) return { file_id: world.files.uploadPrivate(as, as, data, file_name) };
      return { file_id: world.files.uploadGroup(as, group_id, parent_folder_id ?? '/', data, file_name) };
    },
  }),
  pin: action({
    help: 'pin or unpin a chat of the bot, as from another device',
    input: object({ message_scene: SceneSchema, peer_id: Uin, is_pinned: Type.Boolean() }),
    words: ['message_scene', 'peer_id', 'is_pinned'],
    run: ({ world }, { message_scene, peer_id, is_pinned }) => world.people.setPin(message_scene, peer_id, is_pinned),
  }),
  offline: action({
    help: 'take the bot offline (APIs answer -403)',
    input: object({ reason: Opt(Type.String()) }),
    words: ['...reason'],
    run: (host, { reason }) => host.setOnline(false, reason ?? 'logged out from the sandbox'),
  }),
  online: action({
    help: 'bring the bot back online',
    input: object({}),
    run: (host) => host.setOnline(true),
  }),
  world: action({
    help: 'everyone, the friends, and every group with its members',
    input: object({}),
    output: Overview,
    run: ({ world }) => overview(world),
  }),
  messages: action({
    help: 'a page of a chat, going back from start_message_seq (the newest by default)',
    input: object({
      message_scene: SceneSchema,
      peer_id: Uin,
      start_message_seq: Opt(Seq),
      limit: Opt(Type.Integer({ minimum: 1, maximum: 30 })),
    }),
    output: Page,
    words: ['message_scene', 'peer_id'],
    run: ({ world }, { message_scene, peer_id, start_message_seq, limit }) =>
      world.messages.history(message_scene, peer_id, start_message_seq, limit ?? 30),
  }),
  group_files: action({
    help: "a folder of a group's files (the root by default): its files and folders",
    input: object({ group_id: Uin, parent_folder_id: Opt(Type.String({ minLength: 1 })) }),
    output: FolderListing,
    words: ['group_id', 'parent_folder_id'],
    run: ({ world }, { group_id, parent_folder_id }) => world.files.list(group_id, parent_folder_id ?? '/'),
  }),
  forwarded_messages: action({
    help: 'the messages of a forwarded bundle, by the forward_id of its segment',
    input: object({ forward_id: Type.String({ minLength: 1 }) }),
    output: Bundle,
    words: ['forward_id'],
    run: ({ world }, { forward_id }) => ({ messages: world.messages.forwarded(forward_id) }),
  }),
  file_url: action({
    help: 'a download link of a file of a message',
    input: object({ file_id: Type.String({ minLength: 1 }) }),
    output: object({ url: Type.String() }),
    words: ['file_id'],
    run: ({ world }, { file_id }) => {
      const url = world.files.url(file_id);
      if (!url) throw notFound(`no file ${JSON.stringify(file_id)}`);
      return { url };
    },
  }),
});

/** The name of a sandbox action: `say`, `mute`, `create_user`… */
export type ActionName = keyof typeof actions;
/** What the sandbox action `N` takes. */
export type ActionInput<N extends ActionName> = Static<(typeof actions)[N]['input']>;
/** What the sandbox action `N` answers. */
export type ActionOutput<N extends ActionName> = Static<(typeof actions)[N]['output']>;

/** The names of the actions, in the table's order. */
export const actionNames = Object.freeze(Object.keys(actions) as ActionName[]);

const validators = Object.fromEntries(
  actionNames.map((name) => [name, validator(actions[name].input as unknown as MilkySchema<unknown>)]),
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
      const at = issue.path === '(root)' ? `message[${index}]` : `message[${index}].${issue.path}`;
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
      is_mute: group.whole_mute === 1,
      members: db
        .all<{ user_id: number; role: string; card: string; mute_until: number }>(
          'SELECT user_id, role, card, mute_until FROM members WHERE group_id = ? ORDER BY join_time, user_id',
          group.group_id,
        )
        .map(({ mute_until, ...member }) => ({ ...member, is_mute: mute_until > now })),
    })),
  };
}

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actions, name);
}

/** Runs actions on a world: checks the input (failing with the field at fault), then acts. */
export function sandbox(host: SandboxHost): <N extends ActionName>(name: N, input: unknown) => Promise<ActionOutput<N>> {
  return async (name, input) => {
    const issue = validators[name].issues(input, 1)[0];
    if (issue) throw new MilkyApiError(retcodes.invalidInput, `invalid parameters: ${issue.message}`);
    const run = actions[name].run as (host: SandboxHost, input: unknown) => unknown;
    return ((await run(host, input)) ?? {}) as ActionOutput<typeof name>;
  };
}

/** The table as JSON Schema, as `GET /control` lists it: each action's help, input and output. */
export function describeActions(): Record<ActionName, { help: string; input: unknown; output: unknown }> {
  return Object.fromEntries(
    actionNames.map((name) => {
      const { help, input, output } = actions[name];
      return [name, { help, input: JSON.parse(JSON.stringify(input)), output: JSON.parse(JSON.stringify(output)) }];
    }),
  ) as Record<ActionName, { help: string; input: unknown; output: unknown }>;
}
