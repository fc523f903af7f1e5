import type { IncomingMessage } from './messages.ts';
import type { Int64, Uin } from './scalars.ts';

/** Fields every event carries besides its type and payload. */
export interface EventEnvelope {
  /** When the event happened, as a Unix timestamp in seconds. */
  time: Int64;
  /** QQ number of the bot account the event concerns. */
  self_id: Uin;
}

/**
 * An event the protocol side pushes to apps, tagged by `event_type`, with its payload under `data`.
 * Receivers keep events of types they do not know.
 * @tagged event_type
 * @envelope EventEnvelope
 * @extensible
 */
export interface Event {
  /** The bot account went offline. */
  bot_offline: BotOfflineEvent;
  /** A message arrived, or the bot account sent one from elsewhere. */
  message_receive: IncomingMessage;
  /** A message was recalled. */
  message_recall: MessageRecallEvent;
  /**
   * A chat was pinned or unpinned.
   * @since 1.2
   */
  peer_pin_change: PeerPinChangeEvent;
  /** A user asked to become a friend. */
  friend_request: FriendRequestEvent;
  /** A user asked to join a group the bot account administers. */
  group_join_request: GroupJoinRequestEvent;
  /** A member invited another user into a group the bot account administers. */
  group_invited_join_request: GroupInvitedJoinRequestEvent;
  /** Someone invited the bot account into a group. */
  group_invitation: GroupInvitationEvent;
  /** A friend nudged someone, or was nudged, in a friend chat. */
  friend_nudge: FriendNudgeEvent;
  /** A file was sent in a friend chat. */
  friend_file_upload: FriendFileUploadEvent;
  /** A member became a group administrator, or stopped being one. */
  group_admin_change: GroupAdminChangeEvent;
  /** A group message was marked as essence, or unmarked. */
  group_essence_message_change: GroupEssenceMessageChangeEvent;
  /** A user joined a group. */
  group_member_increase: GroupMemberIncreaseEvent;
  /** A member left a group or was removed. */
  group_member_decrease: GroupMemberDecreaseEvent;
  /** A group was renamed. */
  group_name_change: GroupNameChangeEvent;
  /** A member added or removed a reaction on a group message. */
  group_message_reaction: GroupMessageReactionEvent;
  /** A member was muted or unmuted. */
  group_mute: GroupMuteEvent;
  /** Whole-group mute was turned on or off. */
  group_whole_mute: GroupWholeMuteEvent;
  /** A member nudged another member in a group. */
  group_nudge: GroupNudgeEvent;
  /** A file was uploaded to a group. */
  group_file_upload: GroupFileUploadEvent;
  /**
   * A group the bot account was in was disbanded by its owner.
   * @since 1.3
   */
  group_disband: GroupDisbandEvent;
}

/** Payload of `bot_offline`. */
export interface BotOfflineEvent {
  /** Why the account went offline, as the QQ server stated it. */
  reason: string;
}

/** Payload of `message_recall`. */
export interface MessageRecallEvent {
  /** Scene of the chat the message was in. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number, the chat is with. */
  peer_id: Uin;
  /** Sequence number of the recalled message. */
  message_seq: Int64;
  /** QQ number of the user who sent the recalled message. */
  sender_id: Uin;
  /** QQ number of the user who recalled it. */
  operator_id: Uin;
  /** Suffix text of the recall notice shown in the chat. */
  display_suffix: string;
}

/** Payload of `peer_pin_change`. */
export interface PeerPinChangeEvent {
  /** Scene of the chat that changed. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number, of the chat that changed. */
  peer_id: Uin;
  /** `true` if the chat is now pinned, `false` if it was unpinned. */
  is_pinned: boolean;
}

/** Payload of `friend_request`. */
export interface FriendRequestEvent {
  /** QQ number of the user who asked. */
  initiator_id: Uin;
  /** UID of the user who asked; pass it to accept or reject the request. */
  initiator_uid: string;
  /** Message the user attached to the request. */
  comment: string;
  /** How the user found the bot account. */
  via: string;
}

/** Payload of `group_join_request`. */
export interface GroupJoinRequestEvent {
  /** Group the request is for. */
  group_id: Uin;
  /** Sequence number of the matching notification; pass it to accept or reject the request. */
  notification_seq: Int64;
  /** Whether QQ filtered the request as coming from a risky account. */
  is_filtered: boolean;
  /** QQ number of the user who asked to join. */
  initiator_id: Uin;
  /** Message the user attached to the request. */
  comment: string;
}

/** Payload of `group_invited_join_request`. */
export interface GroupInvitedJoinRequestEvent {
  /** Group the user was invited into. */
  group_id: Uin;
  /** Sequence number of the matching notification; pass it to accept or reject the request. */
  notification_seq: Int64;
  /** QQ number of the member who sent the invitation. */
  initiator_id: Uin;
  /** QQ number of the user who was invited. */
  target_user_id: Uin;
}

/** Payload of `group_invitation`. */
export interface GroupInvitationEvent {
  /** Group the bot account was invited into. */
  group_id: Uin;
  /** Sequence number of the invitation; pass it to accept or reject it. */
  invitation_seq: Int64;
  /** QQ number of the user who sent the invitation. */
  initiator_id: Uin;
  /**
   * Group the invitation was sent from, when it came through a group.
   * @since 1.2
   */
  source_group_id?: Int64 | null;
}

/** Payload of `friend_nudge`. */
export interface FriendNudgeEvent {
  /** QQ number of the friend the chat is with. */
  user_id: Uin;
  /** Whether the bot account sent the nudge. */
  is_self_send: boolean;
  /** Whether the bot account received the nudge. */
  is_self_receive: boolean;
  /** Action text of the nudge notice (for example "poked"). */
  display_action: string;
  /** Suffix text of the nudge notice. */
  display_suffix: string;
  /** URL of the image shown in place of the action text. */
  display_action_img_url: string;
}

/** Payload of `friend_file_upload`. */
export interface FriendFileUploadEvent {
  /** QQ number of the friend the chat is with. */
  user_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /** Name of the file. */
  file_name: string;
  /** Size of the file in bytes. */
  file_size: Int64;
  /** TriSHA1 hash of the file; needed to download it. */
  file_hash: string;
  /** Whether the bot account sent the file. */
  is_self: boolean;
}

/** Payload of `group_admin_change`. */
export interface GroupAdminChangeEvent {
  /** Group where the change happened. */
  group_id: Uin;
  /** QQ number of the member whose role changed. */
  user_id: Uin;
  /**
   * QQ number of the member who made the change.
   * @since 1.1
   */
  operator_id: Uin;
  /** `true` if the member became an administrator, `false` if they stopped being one. */
  is_set: boolean;
}

/** Payload of `group_essence_message_change`. */
export interface GroupEssenceMessageChangeEvent {
  /** Group where the change happened. */
  group_id: Uin;
  /** Sequence number of the message that changed. */
  message_seq: Int64;
  /**
   * QQ number of the member who made the change.
   * @since 1.1
   */
  operator_id: Uin;
  /** `true` if the message became essence, `false` if it stopped being essence. */
  is_set: boolean;
}

/** Payload of `group_member_increase`. */
export interface GroupMemberIncreaseEvent {
  /** Group the user joined. */
  group_id: Uin;
  /** QQ number of the user who joined. */
  user_id: Uin;
  /** QQ number of the administrator who approved the join, when one did. */
  operator_id?: Int64 | null;
  /** QQ number of the member who invited the user, when the user was invited. */
  invitor_id?: Int64 | null;
}

/** Payload of `group_member_decrease`. */
export interface GroupMemberDecreaseEvent {
  /** Group the member left. */
  group_id: Uin;
  /** QQ number of the member who left or was removed. */
  user_id: Uin;
  /** QQ number of the administrator who removed the member, when one did. */
  operator_id?: Int64 | null;
}

/** Payload of `group_name_change`. */
export interface GroupNameChangeEvent {
  /** Group that was renamed. */
  group_id: Uin;
  /** The group's new name. */
  new_group_name: string;
  /** QQ number of the member who renamed it. */
  operator_id: Uin;
}

/** Payload of `group_message_reaction`. */
export interface GroupMessageReactionEvent {
  /** Group the message is in. */
  group_id: Uin;
  /** QQ number of the member who reacted. */
  user_id: Uin;
  /** Sequence number of the message reacted to. */
  message_seq: Int64;
  /** Identifier of the face or emoji used. */
  face_id: string;
  /**
   * Whether the reaction is a QQ face or an emoji.
   * @since 1.2
   */
  reaction_type: 'face' | 'emoji';
  /** `true` if the reaction was added, `false` if it was removed. */
  is_add: boolean;
}

/** Payload of `group_mute`. */
export interface GroupMuteEvent {
  /** Group where it happened. */
  group_id: Uin;
  /** QQ number of the member who was muted or unmuted. */
  user_id: Uin;
  /** QQ number of the administrator who did it. */
  operator_id: Uin;
  /** Length of the mute in seconds; `0` means the member was unmuted. */
  duration: Int64;
}

/** Payload of `group_whole_mute`. */
export interface GroupWholeMuteEvent {
  /** Group where it happened. */
  group_id: Uin;
  /** QQ number of the administrator who did it. */
  operator_id: Uin;
  /** `true` if whole-group mute was turned on, `false` if it was turned off. */
  is_mute: boolean;
}

/** Payload of `group_nudge`. */
export interface GroupNudgeEvent {
  /** Group where it happened. */
  group_id: Uin;
  /** QQ number of the member who sent the nudge. */
  sender_id: Uin;
  /** QQ number of the member who received it. */
  receiver_id: Uin;
  /** Action text of the nudge notice (for example "poked"). */
  display_action: string;
  /** Suffix text of the nudge notice. */
  display_suffix: string;
  /** URL of the image shown in place of the action text. */
  display_action_img_url: string;
}

/** Payload of `group_file_upload`. */
export interface GroupFileUploadEvent {
  /** Group the file was uploaded to. */
  group_id: Uin;
  /** QQ number of the member who uploaded it. */
  user_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /** Name of the file. */
  file_name: string;
  /** Size of the file in bytes. */
  file_size: Int64;
}

/** Payload of `group_disband`. */
export interface GroupDisbandEvent {
  /** Group that was disbanded. */
  group_id: Uin;
  /** QQ number of the owner who disbanded it. */
  operator_id: Uin;
}
