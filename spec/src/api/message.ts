import type { IncomingForwardedMessage, IncomingMessage } from '../messages.ts';
import type { Int64, Uin } from '../scalars.ts';
import type { OutgoingSegment } from '../segments.ts';

/** Message APIs: send, recall, read and look up messages and their resources. */
export interface MessageApis {
  /** Sends a message to a friend. */
  send_private_message: { input: SendPrivateMessageInput; output: SendPrivateMessageOutput };
  /** Sends a message to a group. */
  send_group_message: { input: SendGroupMessageInput; output: SendGroupMessageOutput };
  /** Recalls a message in a friend chat. */
  recall_private_message: { input: RecallPrivateMessageInput };
  /** Recalls a message in a group. */
  recall_group_message: { input: RecallGroupMessageInput };
  /**
   * Returns one message.
   * @readOnly
   */
  get_message: { input: GetMessageInput; output: GetMessageOutput };
  /**
   * Returns a page of a chat's history, from newer to older.
   * @readOnly
   */
  get_history_messages: { input: GetHistoryMessagesInput; output: GetHistoryMessagesOutput };
  /**
   * Exchanges a resource identifier from a received segment for a fresh download URL.
   * @readOnly
   */
  get_resource_temp_url: { input: GetResourceTempUrlInput; output: GetResourceTempUrlOutput };
  /**
   * Returns the messages inside a forwarded bundle.
   * @readOnly
   */
  get_forwarded_messages: { input: GetForwardedMessagesInput; output: GetForwardedMessagesOutput };
  /** Marks a message, and every earlier one in its chat, as read. */
  mark_message_as_read: { input: MarkMessageAsReadInput };
}

/** Parameters of `send_private_message`. */
export interface SendPrivateMessageInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /** Content of the message, in order. */
  message: OutgoingSegment[];
}

/** Result of `send_private_message`. */
export interface SendPrivateMessageOutput {
  /** Sequence number of the sent message. */
  message_seq: Int64;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
}

/** Parameters of `send_group_message`. */
export interface SendGroupMessageInput {
  /** Group number. */
  group_id: Uin;
  /** Content of the message, in order. */
  message: OutgoingSegment[];
}

/** Result of `send_group_message`. */
export interface SendGroupMessageOutput {
  /** Sequence number of the sent message. */
  message_seq: Int64;
  /** When the message was sent, as a Unix timestamp in seconds. */
  time: Int64;
}

/** Parameters of `recall_private_message`. */
export interface RecallPrivateMessageInput {
  /** QQ number of the friend. */
  user_id: Uin;
  /** Sequence number of the message to recall. */
  message_seq: Int64;
}

/** Parameters of `recall_group_message`. */
export interface RecallGroupMessageInput {
  /** Group number. */
  group_id: Uin;
  /** Sequence number of the message to recall. */
  message_seq: Int64;
}

/** Parameters of `get_message`. */
export interface GetMessageInput {
  /** Scene of the chat. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number. */
  peer_id: Uin;
  /** Sequence number of the message. */
  message_seq: Int64;
}

/** Result of `get_message`. */
export interface GetMessageOutput {
  /** The message. */
  message: IncomingMessage;
}

/** Parameters of `get_history_messages`. */
export interface GetHistoryMessagesInput {
  /** Scene of the chat. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number. */
  peer_id: Uin;
  /** Sequence number to start from, going back in time; the newest message when absent. */
  start_message_seq?: Int64 | null;
  /**
   * How many messages to return.
   * @minimum 1
   * @maximum 30
   * @default 20
   */
  limit?: Int64 | null;
}

/** Result of `get_history_messages`. */
export interface GetHistoryMessagesOutput {
  /** The messages, oldest first; messages that no longer exist (such as recalled ones) are left out. */
  messages: IncomingMessage[];
  /** Sequence number to pass as `start_message_seq` for the next page; absent when there is none. */
  next_message_seq?: Int64 | null;
}

/** Parameters of `get_resource_temp_url`. */
export interface GetResourceTempUrlInput {
  /** Resource identifier from a received image, record or video segment. */
  resource_id: string;
}

/** Result of `get_resource_temp_url`. */
export interface GetResourceTempUrlOutput {
  /** Temporary download URL. */
  url: string;
}

/** Parameters of `get_forwarded_messages`. */
export interface GetForwardedMessagesInput {
  /** Identifier of the bundle, from a received forward segment. */
  forward_id: string;
}

/** Result of `get_forwarded_messages`. */
export interface GetForwardedMessagesOutput {
  /** The messages of the bundle, in order. */
  messages: IncomingForwardedMessage[];
}

/** Parameters of `mark_message_as_read`. */
export interface MarkMessageAsReadInput {
  /** Scene of the chat. */
  message_scene: 'friend' | 'group' | 'temp';
  /** QQ number of the friend or user, or the group number. */
  peer_id: Uin;
  /** Sequence number of the newest message to mark as read. */
  message_seq: Int64;
}
