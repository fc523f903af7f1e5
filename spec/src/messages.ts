import type { FriendEntity, GroupEntity, GroupMemberEntity } from './entities.ts';
import type { Int64, Uin } from './scalars.ts';
import type { IncomingSegment, OutgoingSegment } from './segments.ts';

/**
 * A message the bot account received or sent, tagged by the scene it belongs to: a friend chat,
 * a group, or a temporary chat with a group member.
 * @discriminator message_scene
 */
export type IncomingMessage = IncomingFriendMessage | IncomingGroupMessage | IncomingTempMessage;

/** A message in a one-to-one chat with a friend. */
export interface IncomingFriendMessage {
  /** Tag of the scene. */
  message_scene: 'friend';
  /** QQ number of the friend the chat is with. */
  peer_id: Uin;
  /** Sequence number of the message within the chat. */
  message_seq: Int64;
  /** QQ number of the sender (the friend, or the bot account for its own messages). */
  sender_id: Uin;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
  /** Content of the message, in order. */
  segments: IncomingSegment[];
  /** The friend the chat is with. */
  friend: FriendEntity;
}

/** A message in a group. */
export interface IncomingGroupMessage {
  /** Tag of the scene. */
  message_scene: 'group';
  /** Group number. */
  peer_id: Uin;
  /** Sequence number of the message within the group. */
  message_seq: Int64;
  /** QQ number of the member who sent it. */
  sender_id: Uin;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
  /** Content of the message, in order. */
  segments: IncomingSegment[];
  /** The group the message was sent in. */
  group: GroupEntity;
  /** The member who sent it. */
  group_member: GroupMemberEntity;
}

/** A message in a temporary chat started through a group with a member who is not a friend. */
export interface IncomingTempMessage {
  /** Tag of the scene. */
  message_scene: 'temp';
  /** QQ number of the user the chat is with. */
  peer_id: Uin;
  /** Sequence number of the message within the chat. */
  message_seq: Int64;
  /** QQ number of the sender. */
  sender_id: Uin;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
  /** Content of the message, in order. */
  segments: IncomingSegment[];
  /** The group through which the chat started; absent when unknown. */
  group?: GroupEntity | null;
}

/** One message inside a received forwarded bundle. */
export interface IncomingForwardedMessage {
  /**
   * Sequence number of the message within the bundle.
   * @since 1.2
   */
  message_seq: Int64;
  /** Name the sender is shown with. */
  sender_name: string;
  /** URL of the sender's avatar. */
  avatar_url: string;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
  /** Content of the message, in order. */
  segments: IncomingSegment[];
}

/** A message that was marked as essence (featured) in a group. */
export interface GroupEssenceMessage {
  /** Group the message belongs to. */
  group_id: Uin;
  /** Sequence number of the message. */
  message_seq: Int64;
  /** When the message was sent, as a Unix timestamp in seconds. */
  message_time: Int64;
  /** QQ number of the member who sent it. */
  sender_id: Uin;
  /** Name of the member who sent it. */
  sender_name: string;
  /** QQ number of the member who marked it as essence. */
  operator_id: Uin;
  /** Name of the member who marked it as essence. */
  operator_name: string;
  /** When it was marked as essence, as a Unix timestamp in seconds. */
  operation_time: Int64;
  /** Content of the message, in order. */
  segments: IncomingSegment[];
}

/** One message of a forwarded bundle the app composes, shown as if a given user had sent it. */
export interface OutgoingForwardedMessage {
  /** QQ number shown as the sender (its avatar is used). */
  user_id: Uin;
  /** Name shown as the sender. */
  sender_name: string;
  /** Content of the message, in order. */
  segments: OutgoingSegment[];
  /**
   * Time shown for the message inside the forwarded message, as a Unix timestamp in seconds;
   * the time of sending when absent.
   * @since 1.3
   */
  time?: Int64 | null;
}
