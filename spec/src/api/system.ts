import type { FriendEntity, GroupEntity, GroupMemberEntity } from '../entities.ts';
import type { Int64, Uin } from '../scalars.ts';

/** System APIs: the logged-in account, the protocol side itself, and friend, group and member lookups. */
export interface SystemApis {
  /**
   * Returns the QQ number and nickname of the logged-in account.
   * @readOnly
   */
  get_login_info: { output: GetLoginInfoOutput };
  /**
   * Returns the name and version of the protocol side and the QQ protocol it speaks.
   * @readOnly
   */
  get_impl_info: { output: GetImplInfoOutput };
  /**
   * Returns the public profile of any user.
   * @readOnly
   */
  get_user_profile: { input: GetUserProfileInput; output: GetUserProfileOutput };
  /**
   * Returns the bot account's friends.
   * @readOnly
   */
  get_friend_list: { input: GetFriendListInput; output: GetFriendListOutput };
  /**
   * Returns one friend of the bot account.
   * @readOnly
   */
  get_friend_info: { input: GetFriendInfoInput; output: GetFriendInfoOutput };
  /**
   * Returns the groups the bot account is a member of.
   * @readOnly
   */
  get_group_list: { input: GetGroupListInput; output: GetGroupListOutput };
  /**
   * Returns one group the bot account is a member of.
   * @readOnly
   */
  get_group_info: { input: GetGroupInfoInput; output: GetGroupInfoOutput };
  /**
   * Returns the members of a group.
   * @readOnly
   */
  get_group_member_list: { input: GetGroupMemberListInput; output: GetGroupMemberListOutput };
  /**
   * Returns one member of a group.
   * @readOnly
   */
  get_group_member_info: { input: GetGroupMemberInfoInput; output: GetGroupMemberInfoOutput };
  /**
   * Returns the friends and groups whose chats are pinned.
   * @since 1.2
   * @readOnly
   */
  get_peer_pins: { output: GetPeerPinsOutput };
  /**
   * Pins or unpins a chat.
   * @since 1.2
   */
  set_peer_pin: { input: SetPeerPinInput };
  /**
   * Sets the avatar of the bot account.
   * @since 1.1
   */
  set_avatar: { input: SetAvatarInput };
  /**
   * Sets the nickname of the bot account.
   * @since 1.1
   */
  set_nickname: { input: SetNicknameInput };
  /**
   * Sets the bio (personal signature) of the bot account.
   * @since 1.1
   */
  set_bio: { input: SetBioInput };
  /**
   * Returns the URLs of the custom stickers the bot account has saved.
   * @since 1.1
   * @readOnly
   */
  get_custom_face_url_list: { output: GetCustomFaceUrlListOutput };
  /**
   * Returns the cookies of the bot account for a QQ web domain.
   * @readOnly
   */
  get_cookies: { input: GetCookiesInput; output: GetCookiesOutput };
  /**
   * Returns the CSRF token QQ web APIs expect.
   * @readOnly
   */
  get_csrf_token: { output: GetCsrfTokenOutput };
}

/** Result of `get_login_info`. */
export interface GetLoginInfoOutput {
  /** QQ number of the logged-in account. */
  uin: Uin;
  /** Nickname of the logged-in account. */
  nickname: string;
}

/** Result of `get_impl_info`. */
export interface GetImplInfoOutput {
  /** Name of the protocol side implementation. */
  impl_name: string;
  /** Version of the protocol side implementation. */
  impl_version: string;
  /** Version of the QQ protocol the implementation speaks. */
  qq_protocol_version: string;
  /** QQ client platform the implementation presents itself as. */
  qq_protocol_type: 'windows' | 'linux' | 'macos' | 'android_pad' | 'android_phone' | 'ipad' | 'iphone' | 'harmony' | 'watch';
  /** Version of the Milky protocol the implementation follows, such as `"1.2"`. */
  milky_version: string;
}

/** Parameters of `get_user_profile`. */
export interface GetUserProfileInput {
  /** QQ number of the user. */
  user_id: Uin;
}

/** Result of `get_user_profile`. */
export interface GetUserProfileOutput {
  /** Nickname of the user. */
  nickname: string;
  /** QID of the user; empty when not set. */
  qid: string;
  /** Age shown on the profile. */
  age: Int64;
  /** Sex shown on the profile. */
  sex: 'male' | 'female' | 'unknown';
  /** Remark the bot account gave the user; empty when not set. */
  remark: string;
  /** Bio (personal signature) of the user. */
  bio: string;
  /** QQ account level of the user. */
  level: Int64;
  /** Country or region shown on the profile. */
  country: string;
  /** City shown on the profile. */
  city: string;
  /** School shown on the profile. */
  school: string;
}

/** Parameters of `get_friend_list`. */
export interface GetFriendListInput {
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_friend_list`. */
export interface GetFriendListOutput {
  /** The friends. */
  friends: FriendEntity[];
}

/** Parameters of `get_friend_info`. */
export interface GetFriendInfoInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_friend_info`. */
export interface GetFriendInfoOutput {
  /** The friend. */
  friend: FriendEntity;
}

/** Parameters of `get_group_list`. */
export interface GetGroupListInput {
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_group_list`. */
export interface GetGroupListOutput {
  /** The groups. */
  groups: GroupEntity[];
}

/** Parameters of `get_group_info`. */
export interface GetGroupInfoInput {
  /** Group number. */
  group_id: Uin;
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_group_info`. */
export interface GetGroupInfoOutput {
  /** The group. */
  group: GroupEntity;
}

/** Parameters of `get_group_member_list`. */
export interface GetGroupMemberListInput {
  /** Group number. */
  group_id: Uin;
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_group_member_list`. */
export interface GetGroupMemberListOutput {
  /** The members. */
  members: GroupMemberEntity[];
}

/** Parameters of `get_group_member_info`. */
export interface GetGroupMemberInfoInput {
  /** Group number. */
  group_id: Uin;
  /** QQ number of the member. */
  user_id: Uin;
  /**
   * Whether to ask the QQ server instead of using the protocol side's cache.
   * @default false
   */
  no_cache?: boolean | null;
}

/** Result of `get_group_member_info`. */
export interface GetGroupMemberInfoOutput {
  /** The member. */
  member: GroupMemberEntity;
}

/** Result of `get_peer_pins`. */
export interface GetPeerPinsOutput {
  /** Friends whose chats are pinned. */
  friends: FriendEntity[];
  /** Groups whose chats are pinned. */
  groups: GroupEntity[];
}

/** Parameters of `set_peer_pin`. */
export interface SetPeerPinInput {
  /** Scene of the chat. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number. */
  peer_id: Uin;
  /**
   * `true` to pin the chat, `false` to unpin it.
   * @default true
   */
  is_pinned?: boolean | null;
}

/** Parameters of `set_avatar`. */
export interface SetAvatarInput {
  /** Where the new avatar image comes from: a `file://`, `http(s)://` or `base64://` URI. */
  uri: string;
}

/** Parameters of `set_nickname`. */
export interface SetNicknameInput {
  /** The new nickname. */
  new_nickname: string;
}

/** Parameters of `set_bio`. */
export interface SetBioInput {
  /** The new bio. */
  new_bio: string;
}

/** Result of `get_custom_face_url_list`. */
export interface GetCustomFaceUrlListOutput {
  /** URLs of the saved stickers. */
  urls: string[];
}

/** Parameters of `get_cookies`. */
export interface GetCookiesInput {
  /** The domain to get cookies for, such as `qun.qq.com`. */
  domain: string;
}

/** Result of `get_cookies`. */
export interface GetCookiesOutput {
  /** The cookies as one `Cookie` header value. */
  cookies: string;
}

/** Result of `get_csrf_token`. */
export interface GetCsrfTokenOutput {
  /** The CSRF token. */
  csrf_token: string;
}
