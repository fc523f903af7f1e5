import type { GroupAnnouncementEntity, GroupNotification } from '../entities.ts';
import type { GroupEssenceMessage } from '../messages.ts';
import type { Int64, Uin } from '../scalars.ts';

/** Group APIs: group settings, members, announcements, essence messages, reactions, nudges and requests. */
export interface GroupApis {
  /** Renames a group. */
  set_group_name: { input: SetGroupNameInput };
  /** Sets the avatar of a group. */
  set_group_avatar: { input: SetGroupAvatarInput };
  /** Sets the name card of a group member. */
  set_group_member_card: { input: SetGroupMemberCardInput };
  /** Sets the special title of a group member. */
  set_group_member_special_title: { input: SetGroupMemberSpecialTitleInput };
  /** Makes a group member an administrator, or takes the role away. */
  set_group_member_admin: { input: SetGroupMemberAdminInput };
  /** Mutes or unmutes a group member. */
  set_group_member_mute: { input: SetGroupMemberMuteInput };
  /** Turns whole-group mute on or off. */
  set_group_whole_mute: { input: SetGroupWholeMuteInput };
  /** Removes a member from a group. */
  kick_group_member: { input: KickGroupMemberInput };
  /**
   * Returns the announcements of a group.
   * @readOnly
   */
  get_group_announcements: { input: GetGroupAnnouncementsInput; output: GetGroupAnnouncementsOutput };
  /** Posts an announcement in a group. */
  send_group_announcement: { input: SendGroupAnnouncementInput };
  /** Deletes an announcement of a group. */
  delete_group_announcement: { input: DeleteGroupAnnouncementInput };
  /**
   * Returns a page of a group's essence messages.
   * @readOnly
   */
  get_group_essence_messages: { input: GetGroupEssenceMessagesInput; output: GetGroupEssenceMessagesOutput };
  /** Marks a group message as essence, or unmarks it. */
  set_group_essence_message: { input: SetGroupEssenceMessageInput };
  /** Leaves a group. */
  quit_group: { input: QuitGroupInput };
  /** Adds or removes a reaction on a group message. */
  send_group_message_reaction: { input: SendGroupMessageReactionInput };
  /** Nudges a group member. */
  send_group_nudge: { input: SendGroupNudgeInput };
  /**
   * Returns a page of group notifications: join requests, role changes, removals and departures.
   * @readOnly
   */
  get_group_notifications: { input: GetGroupNotificationsInput; output: GetGroupNotificationsOutput };
  /** Approves a request to join a group, or an invitation by a member that awaits approval. */
  accept_group_request: { input: AcceptGroupRequestInput };
  /** Rejects a request to join a group, or an invitation by a member that awaits approval. */
  reject_group_request: { input: RejectGroupRequestInput };
  /** Accepts an invitation for the bot account to join a group. */
  accept_group_invitation: { input: AcceptGroupInvitationInput };
  /** Declines an invitation for the bot account to join a group. */
  reject_group_invitation: { input: RejectGroupInvitationInput };
}

/** Parameters of `set_group_name`. */
export interface SetGroupNameInput {
  /** Group number. */
  group_id: Uin;
  /** The new name. */
  new_group_name: string;
}

/** Parameters of `set_group_avatar`. */
export interface SetGroupAvatarInput {
  /** Group number. */
  group_id: Uin;
  /** Where the new avatar image comes from: a `file://`, `http(s)://` or `base64://` URI. */
  image_uri: string;
}

/** Parameters of `set_group_member_card`. */
export interface SetGroupMemberCardInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /** The new name card; empty to clear it. */
  card: string;
}

/** Parameters of `set_group_member_special_title`. */
export interface SetGroupMemberSpecialTitleInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /** The new special title; empty to clear it. */
  special_title: string;
}

/** Parameters of `set_group_member_admin`. */
export interface SetGroupMemberAdminInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /**
   * `true` to make the member an administrator, `false` to take the role away.
   * @default true
   */
  is_set?: boolean | null;
}

/** Parameters of `set_group_member_mute`. */
export interface SetGroupMemberMuteInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /**
   * Length of the mute in seconds; `0` unmutes the member.
   * @default 0
   */
  duration?: Int64 | null;
}

/** Parameters of `set_group_whole_mute`. */
export interface SetGroupWholeMuteInput {
  /** Group number. */
  group_id: Uin;
  /**
   * `true` to turn whole-group mute on, `false` to turn it off.
   * @default true
   */
  is_mute?: boolean | null;
}

/** Parameters of `kick_group_member`. */
export interface KickGroupMemberInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /**
   * `true` to also refuse further requests from this user to join.
   * @default false
   */
  reject_add_request?: boolean | null;
}

/** Parameters of `get_group_announcements`. */
export interface GetGroupAnnouncementsInput {
  /** Group number. */
  group_id: Uin;
}

/** Result of `get_group_announcements`. */
export interface GetGroupAnnouncementsOutput {
  /** The announcements. */
  announcements: GroupAnnouncementEntity[];
}

/** Parameters of `send_group_announcement`. */
export interface SendGroupAnnouncementInput {
  /** Group number. */
  group_id: Uin;
  /** Text of the announcement. */
  content: string;
  /** Where an attached image comes from: a `file://`, `http(s)://` or `base64://` URI. */
  image_uri?: string | null;
}

/** Parameters of `delete_group_announcement`. */
export interface DeleteGroupAnnouncementInput {
  /** Group number. */
  group_id: Uin;
  /** Identifier of the announcement. */
  announcement_id: string;
}

/** Parameters of `get_group_essence_messages`. */
export interface GetGroupEssenceMessagesInput {
  /** Group number. */
  group_id: Uin;
  /** Index of the page, starting at 0. */
  page_index: Int64;
  /** How many messages a page holds. */
  page_size: Int64;
}

/** Result of `get_group_essence_messages`. */
export interface GetGroupEssenceMessagesOutput {
  /** The essence messages on this page. */
  messages: GroupEssenceMessage[];
  /** Whether this is the last page. */
  is_end: boolean;
}

/** Parameters of `set_group_essence_message`. */
export interface SetGroupEssenceMessageInput {
  /** Group number. */
  group_id: Uin;
  /** Sequence number of the message. */
  message_seq: Int64;
  /**
   * `true` to mark the message as essence, `false` to unmark it.
   * @default true
   */
  is_set?: boolean | null;
}

/** Parameters of `quit_group`. */
export interface QuitGroupInput {
  /** Group number. */
  group_id: Uin;
}

/** Parameters of `send_group_message_reaction`. */
export interface SendGroupMessageReactionInput {
  /** Group number. */
  group_id: Uin;
  /** Sequence number of the message to react to. */
  message_seq: Int64;
  /** Identifier of the face or emoji to react with. */
  reaction: string;
  /**
   * Whether `reaction` names a QQ face or an emoji.
   * @default "face"
   */
  reaction_type?: 'face' | 'emoji' | null;
  /**
   * `true` to add the reaction, `false` to remove it.
   * @default true
   */
  is_add?: boolean | null;
}

/** Parameters of `send_group_nudge`. */
export interface SendGroupNudgeInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member to nudge. */
  user_id: Uin;
}

/** Parameters of `get_group_notifications`. */
export interface GetGroupNotificationsInput {
  /** Sequence number to start from, going back in time; the newest notification when absent. */
  start_notification_seq?: Int64 | null;
  /**
   * `true` to return only notifications QQ filtered as risky, `false` to return only the others.
   * @default false
   */
  is_filtered?: boolean | null;
  /**
   * How many notifications to return at most.
   * @default 20
   */
  limit?: Int64 | null;
}

/** Result of `get_group_notifications`. */
export interface GetGroupNotificationsOutput {
  /** The notifications, newest first; sequence numbers need not be consecutive. */
  notifications: GroupNotification[];
  /** Sequence number to pass as `start_notification_seq` for the next page; absent when there is none. */
  next_notification_seq?: Int64 | null;
}

/** Parameters of `accept_group_request`. */
export interface AcceptGroupRequestInput {
  /** Sequence number of the request's notification. */
  notification_seq: Int64;
  /** Type of the request's notification. */
  notification_type: 'join_request' | 'invited_join_request';
  /** Group the request is for. */
  group_id: Uin;
  /**
   * Whether the request is one QQ filtered as risky.
   * @default false
   */
  is_filtered?: boolean | null;
}

/** Parameters of `reject_group_request`. */
export interface RejectGroupRequestInput {
  /** Sequence number of the request's notification. */
  notification_seq: Int64;
  /** Type of the request's notification. */
  notification_type: 'join_request' | 'invited_join_request';
  /** Group the request is for. */
  group_id: Uin;
  /**
   * Whether the request is one QQ filtered as risky.
   * @default false
   */
  is_filtered?: boolean | null;
  /** Reason given to the user. */
  reason?: string | null;
}

/** Parameters of `accept_group_invitation`. */
export interface AcceptGroupInvitationInput {
  /** Group number. */
  group_id: Uin;
  /** Sequence number of the invitation. */
  invitation_seq: Int64;
}

/** Parameters of `reject_group_invitation`. */
export interface RejectGroupInvitationInput {
  /** Group number. */
  group_id: Uin;
  /** Sequence number of the invitation. */
  invitation_seq: Int64;
}
