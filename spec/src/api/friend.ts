import type { FriendRequest } from '../entities.ts';
import type { Int64, Uin } from '../scalars.ts';

/** Friend APIs: nudges, likes, removal and friend requests. */
export interface FriendApis {
  /** Nudges a friend, or the bot account itself, in a friend chat. */
  send_friend_nudge: { input: SendFriendNudgeInput };
  /** Likes a user's profile card. */
  send_profile_like: { input: SendProfileLikeInput };
  /**
   * Removes a friend.
   * @since 1.1
   */
  delete_friend: { input: DeleteFriendInput };
  /**
   * Returns recent friend requests.
   * @readOnly
   */
  get_friend_requests: { input: GetFriendRequestsInput; output: GetFriendRequestsOutput };
  /** Accepts a friend request. */
  accept_friend_request: { input: AcceptFriendRequestInput };
  /** Rejects a friend request. */
  reject_friend_request: { input: RejectFriendRequestInput };
}

/** Parameters of `send_friend_nudge`. */
export interface SendFriendNudgeInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /**
   * `true` to nudge the bot account itself in that chat instead of the friend.
   * @default false
   */
  is_self?: boolean | null;
}

/** Parameters of `send_profile_like`. */
export interface SendProfileLikeInput {
  /** QQ number of the user. */
  user_id: Uin;
  /**
   * How many likes to give.
   * @default 1
   */
  count?: Int64 | null;
}

/** Parameters of `delete_friend`. */
export interface DeleteFriendInput {
  /** QQ number of the friend. */
  user_id: Uin;
}

/** Parameters of `get_friend_requests`. */
export interface GetFriendRequestsInput {
  /**
   * How many requests to return at most.
   * @default 20
   */
  limit?: Int64 | null;
  /**
   * `true` to return only requests QQ filtered as risky, `false` to return only the others.
   * @default false
   */
  is_filtered?: boolean | null;
}

/** Result of `get_friend_requests`. */
export interface GetFriendRequestsOutput {
  /** The requests. */
  requests: FriendRequest[];
}

/** Parameters of `accept_friend_request`. */
export interface AcceptFriendRequestInput {
  /** UID of the user who sent the request. */
  initiator_uid: string;
  /**
   * Whether the request is one QQ filtered as risky.
   * @default false
   */
  is_filtered?: boolean | null;
}

/** Parameters of `reject_friend_request`. */
export interface RejectFriendRequestInput {
  /** UID of the user who sent the request. */
  initiator_uid: string;
  /**
   * Whether the request is one QQ filtered as risky.
   * @default false
   */
  is_filtered?: boolean | null;
  /** Reason given to the user. */
  reason?: string | null;
}
