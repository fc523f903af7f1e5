// Every API of the protocol, each an operation of the bot account on the world. Input arrives
// validated with its defaults applied; failures are the world's `MilkyApiError`s. Handlers read
// through the store and change the world through its domain services; they open no transaction
// (the services do) and read resources outside any (`world.read`).

import type { ApiHandler, ApiHandlers } from '@milky/server';
import { type ApiName, milkyVersion } from '@milky/types';
import { notFound } from './errors.ts';
import type { World } from './world/world.ts';

/** What `get_impl_info` answers about this implementation. */
export interface ImplInfo {
  readonly name: string;
  readonly version: string;
}

/** A handler for every API of the protocol, each doing what it says in `world`. */
export function handlers(world: World, impl: ImplInfo): Required<ApiHandlers> {
  const { store } = world;
  const self = () => store.selfId;
  return {
    // System
    get_login_info: () => ({ uin: self(), nickname: store.requireUser(self()).nickname }),
    get_impl_info: () => ({
      impl_name: impl.name,
      impl_version: impl.version,
      qq_protocol_version: 'simulated',
      qq_protocol_type: 'linux',
      milky_version: milkyVersion,
    }),
    get_user_profile: ({ user_id }) => world.people.profile(user_id),
    get_friend_list: () => ({ friends: world.people.friends() }),
    get_friend_info: ({ user_id }) => ({ friend: store.friendEntity(user_id) }),
    get_group_list: () => ({ groups: store.groupEntities() }),
    get_group_info: ({ group_id }) => {
      store.requireGroup(group_id);
      return { group: store.groupEntity(group_id) };
    },
    get_group_member_list: ({ group_id }) => {
      store.requireGroup(group_id);
      return { members: store.memberEntities(group_id) };
    },
    get_group_member_info: ({ group_id, user_id }) => {
      store.requireGroup(group_id);
      return { member: store.memberEntity(group_id, user_id) };
    },
    get_peer_pins: () => world.people.pins(),
    set_peer_pin: ({ message_scene, peer_id, is_pinned }) => world.people.setPin(message_scene, peer_id, is_pinned),
    set_avatar: async ({ uri }) => world.people.setAvatar(self(), await world.read(uri, 'uri', true)),
    set_nickname: ({ new_nickname }) => world.people.setProfile(self(), { nickname: new_nickname }),
    set_bio: ({ new_bio }) => world.people.setProfile(self(), { bio: new_bio }),
    get_custom_face_url_list: () => ({ urls: world.people.customFaceUrls() }),
    get_cookies: ({ domain }) => ({ cookies: world.people.cookies(domain) }),
    get_csrf_token: () => ({ csrf_token: String(world.people.csrfToken()) }),

    // Messages
    send_private_message: ({ user_id, message }) => world.messages.post(self(), { scene: 'friend', peerId: user_id }, message),
    send_group_message: ({ group_id, message }) => world.messages.post(self(), { scene: 'group', peerId: group_id }, message),
    recall_private_message: ({ user_id, message_seq }) => world.messages.recall(self(), 'friend', user_id, message_seq),
    recall_group_message: ({ group_id, message_seq }) => world.messages.recall(self(), 'group', group_id, message_seq),
    get_message: ({ message_scene, peer_id, message_seq }) => ({ message: world.messages.get(message_scene, peer_id, message_seq) }),
    get_history_messages: ({ message_scene, peer_id, start_message_seq, limit }) =>
      world.messages.history(message_scene, peer_id, start_message_seq ?? undefined, limit),
    get_resource_temp_url: ({ resource_id }) => {
      if (!world.resources.has(resource_id)) throw notFound(`no resource ${JSON.stringify(resource_id)}`);
      return { url: world.links.signed('media', resource_id) };
    },
    get_forwarded_messages: ({ forward_id }) => ({ messages: world.messages.forwarded(forward_id) }),
    mark_message_as_read: ({ message_scene, peer_id, message_seq }) => world.messages.markRead(message_scene, peer_id, message_seq),

    // Friends
    send_friend_nudge: ({ user_id, is_self }) => world.people.nudgeFriend(self(), user_id, is_self),
    send_profile_like: ({ user_id, count }) => world.people.like(user_id, count),
    delete_friend: ({ user_id }) => world.people.deleteFriend(user_id),
    get_friend_requests: ({ limit, is_filtered }) => ({ requests: world.people.friendRequests(limit, is_filtered) }),
    accept_friend_request: ({ initiator_uid, is_filtered }) => world.people.answerFriendRequest(initiator_uid, is_filtered, true),
    reject_friend_request: ({ initiator_uid, is_filtered }) => world.people.answerFriendRequest(initiator_uid, is_filtered, false),

    // Groups
    set_group_name: ({ group_id, new_group_name }) => world.groups.setName(self(), group_id, new_group_name),
    set_group_avatar: async ({ group_id, image_uri }) => {
      store.requireGroup(group_id);
      world.groups.setAvatar(self(), group_id, await world.read(image_uri, 'image_uri', true));
    },
    set_group_member_card: ({ group_id, user_id, card }) => world.groups.setCard(self(), group_id, user_id, card),
    set_group_member_special_title: ({ group_id, user_id, special_title }) =>
      world.groups.setTitle(self(), group_id, user_id, special_title),
    set_group_member_admin: ({ group_id, user_id, is_set }) => world.groups.setAdmin(self(), group_id, user_id, is_set),
    set_group_member_mute: ({ group_id, user_id, duration }) => world.groups.mute(self(), group_id, user_id, duration),
    set_group_whole_mute: ({ group_id, is_mute }) => world.groups.wholeMute(self(), group_id, is_mute),
    kick_group_member: ({ group_id, user_id, reject_add_request }) => world.groups.kick(self(), group_id, user_id, reject_add_request),
    get_group_announcements: ({ group_id }) => ({ announcements: world.groups.announcements(group_id) }),
    send_group_announcement: async ({ group_id, content, image_uri }) => {
      store.requireGroup(group_id);
      const image = image_uri ? await world.read(image_uri, 'image_uri', true) : undefined;
      world.groups.announce(self(), group_id, content, image);
    },
    delete_group_announcement: ({ group_id, announcement_id }) => world.groups.deleteAnnouncement(self(), group_id, announcement_id),
    get_group_essence_messages: ({ group_id, page_index, page_size }) => world.groups.essence(group_id, page_index, page_size),
    set_group_essence_message: ({ group_id, message_seq, is_set }) => world.groups.setEssence(self(), group_id, message_seq, is_set),
    quit_group: ({ group_id }) => world.groups.quit(self(), group_id),
    send_group_message_reaction: ({ group_id, message_seq, reaction, reaction_type, is_add }) =>
      world.groups.react(self(), group_id, message_seq, reaction, reaction_type, is_add),
    send_group_nudge: ({ group_id, user_id }) => world.groups.nudge(self(), group_id, user_id),
    get_group_notifications: ({ start_notification_seq, is_filtered, limit }) =>
      world.groups.notifications(start_notification_seq ?? undefined, is_filtered, limit),
    accept_group_request: ({ notification_seq, notification_type, group_id, is_filtered }) =>
      world.groups.answerRequest(
        self(),
        { seq: notification_seq, type: notification_type, groupId: group_id, filtered: is_filtered },
        true,
      ),
    reject_group_request: ({ notification_seq, notification_type, group_id, is_filtered }) =>
      world.groups.answerRequest(
        self(),
        { seq: notification_seq, type: notification_type, groupId: group_id, filtered: is_filtered },
        false,
      ),
    accept_group_invitation: ({ group_id, invitation_seq }) => world.groups.answerInvitation(group_id, invitation_seq, true),
    reject_group_invitation: ({ group_id, invitation_seq }) => world.groups.answerInvitation(group_id, invitation_seq, false),

    // Files
    upload_private_file: async ({ user_id, file_uri, file_name }) => {
      store.requireFriend(user_id);
      const { data } = await world.read(file_uri, 'file_uri');
      return { file_id: world.files.uploadPrivate(self(), user_id, data, file_name) };
    },
    upload_group_file: async ({ group_id, parent_folder_id, file_uri, file_name }) => {
      store.requireGroup(group_id);
      const { data } = await world.read(file_uri, 'file_uri');
      return { file_id: world.files.uploadGroup(self(), group_id, parent_folder_id, data, file_name) };
    },
    get_private_file_download_url: ({ user_id, file_id, file_hash, is_self_send }) => ({
      download_url: world.files.privateDownloadUrl(user_id, file_id, file_hash, is_self_send),
    }),
    get_group_file_download_url: ({ group_id, file_id }) => ({ download_url: world.files.groupDownloadUrl(group_id, file_id) }),
    get_group_files: ({ group_id, parent_folder_id }) => world.files.list(group_id, parent_folder_id),
    move_group_file: ({ group_id, file_id, parent_folder_id, target_folder_id }) =>
      world.files.move(self(), group_id, file_id, parent_folder_id, target_folder_id),
    rename_group_file: ({ group_id, file_id, parent_folder_id, new_file_name }) =>
      world.files.rename(self(), group_id, file_id, parent_folder_id, new_file_name),
    delete_group_file: ({ group_id, file_id }) => world.files.delete(self(), group_id, file_id),
    persist_group_file: ({ group_id, file_id }) => world.files.persist(self(), group_id, file_id),
    create_group_folder: ({ group_id, folder_name }) => ({ folder_id: world.files.createFolder(self(), group_id, folder_name) }),
    rename_group_folder: ({ group_id, folder_id, new_folder_name }) =>
      world.files.renameFolder(self(), group_id, folder_id, new_folder_name),
    delete_group_folder: ({ group_id, folder_id }) => world.files.deleteFolder(self(), group_id, folder_id),
  };
}

/**
 * The same handlers, each run through `Transactions.answer`: the changes of the calls of one turn
 * share one commit, and each call answers (with its result or its failure) only once the changes
 * made so far have committed.
 */
export function answeredAfterCommit(world: World, all: Required<ApiHandlers>): Required<ApiHandlers> {
  const wrapped: Record<string, ApiHandler<ApiName>> = {};
  for (const [name, handler] of Object.entries(all) as Array<[ApiName, ApiHandler<ApiName>]>) {
    wrapped[name] = (input, call) => world.tx.answer(() => handler(input, call));
  }
  return wrapped as Required<ApiHandlers>;
}
