import type { Int64, Uin } from './scalars.ts';

/** A friend of the bot account, as it appears in the friend list. */
export interface FriendEntity {
  /** QQ number of the friend. */
  user_id: Uin;
  /** Nickname the friend chose. */
  nickname: string;
  /** Sex shown on the friend's profile. */
  sex: 'male' | 'female' | 'unknown';
  /** QID of the friend, an optional alias of the QQ number; empty when not set. */
  qid: string;
  /** Remark the bot account gave the friend; empty when not set. */
  remark: string;
  /** Friend list category the friend is filed under. */
  category: FriendCategoryEntity;
}

/** A category (folder) of the bot account's friend list. */
export interface FriendCategoryEntity {
  /** Identifier of the category. */
  category_id: Int64;
  /** Display name of the category. */
  category_name: string;
}

/** A group the bot account is a member of. */
export interface GroupEntity {
  /** Group number. */
  group_id: Uin;
  /** Display name of the group. */
  group_name: string;
  /** How many members the group has now. */
  member_count: Int64;
  /** How many members the group can hold. */
  max_member_count: Int64;
  /**
   * Remark the bot account gave the group; empty when not set.
   * @since 1.2
   */
  remark: string;
  /**
   * When the group was created, as a Unix timestamp in seconds.
   * @since 1.2
   */
  created_time: Int64;
  /**
   * Introduction text of the group.
   * @since 1.2
   */
  description: string;
  /**
   * Question a user must answer to ask to join.
   * @since 1.2
   */
  question: string;
  /**
   * Preview of the group's current announcement.
   * @since 1.2
   */
  announcement: string;
}

/** A member of a group, with the member's standing in that group. */
export interface GroupMemberEntity {
  /** QQ number of the member. */
  user_id: Uin;
  /** Nickname the member chose for their account. */
  nickname: string;
  /** Sex shown on the member's profile. */
  sex: 'male' | 'female' | 'unknown';
  /** Group the membership belongs to. */
  group_id: Uin;
  /** Name card the member uses in this group; empty when not set. */
  card: string;
  /** Special title granted to the member in this group; empty when none. */
  title: string;
  /** Activity level of the member in this group (not the QQ account level). */
  level: Int64;
  /** Role of the member: the owner, an administrator or an ordinary member. */
  role: 'owner' | 'admin' | 'member';
  /** When the member joined the group, as a Unix timestamp in seconds. */
  join_time: Int64;
  /** When the member last sent a message in the group, as a Unix timestamp in seconds. */
  last_sent_time: Int64;
  /** When the member's mute ends, as a Unix timestamp in seconds; absent when the member is not muted. */
  shut_up_end_time?: Int64 | null;
}

/** An announcement posted in a group. */
export interface GroupAnnouncementEntity {
  /** Group the announcement was posted in. */
  group_id: Uin;
  /** Identifier of the announcement. */
  announcement_id: string;
  /** QQ number of the member who posted it. */
  user_id: Uin;
  /** When it was posted, as a Unix timestamp in seconds. */
  time: Int64;
  /** Text of the announcement. */
  content: string;
  /** URL of the image attached to the announcement; absent when there is none. */
  image_url?: string | null;
}

/** A file stored in a group's file area. */
export interface GroupFileEntity {
  /** Group the file belongs to. */
  group_id: Uin;
  /** Identifier of the file. */
  file_id: string;
  /** Name of the file. */
  file_name: string;
  /** Identifier of the folder that holds the file (`/` for the root folder). */
  parent_folder_id: string;
  /** Size of the file in bytes. */
  file_size: Int64;
  /** When the file was uploaded, as a Unix timestamp in seconds. */
  uploaded_time: Int64;
  /** When the file expires, as a Unix timestamp in seconds; absent for a file that does not expire. */
  expire_time?: Int64 | null;
  /** QQ number of the member who uploaded the file. */
  uploader_id: Uin;
  /** How many times the file has been downloaded. */
  downloaded_times: Int64;
}

/** A folder in a group's file area. */
export interface GroupFolderEntity {
  /** Group the folder belongs to. */
  group_id: Uin;
  /** Identifier of the folder. */
  folder_id: string;
  /** Identifier of the folder that holds this one (`/` for the root folder). */
  parent_folder_id: string;
  /** Name of the folder. */
  folder_name: string;
  /** When the folder was created, as a Unix timestamp in seconds. */
  created_time: Int64;
  /** When the folder last changed, as a Unix timestamp in seconds. */
  last_modified_time: Int64;
  /** QQ number of the member who created the folder. */
  creator_id: Uin;
  /** How many files the folder holds. */
  file_count: Int64;
}

/** A request from a user to become a friend of the bot account, or one the bot account sent. */
export interface FriendRequest {
  /** When the request was made, as a Unix timestamp in seconds. */
  time: Int64;
  /** QQ number of the user who sent the request. */
  initiator_id: Uin;
  /** UID of the user who sent the request; pass it to accept or reject the request. */
  initiator_uid: string;
  /** QQ number of the user the request was sent to. */
  target_user_id: Uin;
  /** UID of the user the request was sent to. */
  target_user_uid: string;
  /** Where the request stands. */
  state: 'pending' | 'accepted' | 'rejected' | 'ignored';
  /** Message the sender attached to the request. */
  comment: string;
  /** How the sender found the bot account (for example a search or a shared group). */
  via: string;
  /** Whether QQ filtered the request as coming from a risky account. */
  is_filtered: boolean;
}

/**
 * An entry of a group's notification list, tagged by `type`.
 * Receivers keep entries of types they do not know.
 * @discriminator type
 * @extensible
 */
export type GroupNotification =
  | GroupJoinRequestNotification
  | GroupAdminChangeNotification
  | GroupKickNotification
  | GroupQuitNotification
  | GroupInvitedJoinRequestNotification;

/** A user asked to join the group. */
export interface GroupJoinRequestNotification {
  /** Tag of this notification type. */
  type: 'join_request';
  /** Group the request is for. */
  group_id: Uin;
  /** Sequence number of the notification; pass it to accept or reject the request. */
  notification_seq: Int64;
  /** Whether QQ filtered the request as coming from a risky account. */
  is_filtered: boolean;
  /** QQ number of the user who asked to join. */
  initiator_id: Uin;
  /** Where the request stands. */
  state: 'pending' | 'accepted' | 'rejected' | 'ignored';
  /** QQ number of the administrator who handled the request; absent while nobody has. */
  operator_id?: Int64 | null;
  /** Message the user attached to the request. */
  comment: string;
}

/** A member was made an administrator, or stopped being one. */
export interface GroupAdminChangeNotification {
  /** Tag of this notification type. */
  type: 'admin_change';
  /** Group where the change happened. */
  group_id: Uin;
  /** Sequence number of the notification. */
  notification_seq: Int64;
  /** QQ number of the member whose role changed. */
  target_user_id: Uin;
  /** `true` if the member became an administrator, `false` if they stopped being one. */
  is_set: boolean;
  /** QQ number of the group owner who made the change. */
  operator_id: Uin;
}

/** A member was removed from the group. */
export interface GroupKickNotification {
  /** Tag of this notification type. */
  type: 'kick';
  /** Group the member was removed from. */
  group_id: Uin;
  /** Sequence number of the notification. */
  notification_seq: Int64;
  /** QQ number of the member who was removed. */
  target_user_id: Uin;
  /** QQ number of the administrator who removed them. */
  operator_id: Uin;
}

/** A member left the group. */
export interface GroupQuitNotification {
  /** Tag of this notification type. */
  type: 'quit';
  /** Group the member left. */
  group_id: Uin;
  /** Sequence number of the notification. */
  notification_seq: Int64;
  /** QQ number of the member who left. */
  target_user_id: Uin;
}

/** A member invited another user into the group, and the invitation awaits approval. */
export interface GroupInvitedJoinRequestNotification {
  /** Tag of this notification type. */
  type: 'invited_join_request';
  /** Group the user was invited into. */
  group_id: Uin;
  /** Sequence number of the notification; pass it to accept or reject the request. */
  notification_seq: Int64;
  /** QQ number of the member who sent the invitation. */
  initiator_id: Uin;
  /** QQ number of the user who was invited. */
  target_user_id: Uin;
  /** Where the request stands. */
  state: 'pending' | 'accepted' | 'rejected' | 'ignored';
  /** QQ number of the administrator who handled the request; absent while nobody has. */
  operator_id?: Int64 | null;
}
