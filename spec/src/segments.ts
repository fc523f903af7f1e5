import type { OutgoingForwardedMessage } from './messages.ts';
import type { Int64, Uin } from './scalars.ts';

/**
 * A piece of a message the bot account received, tagged by `type`, with its payload under `data`.
 * Receivers keep segments of types they do not know.
 * @tagged type
 * @extensible
 */
export interface IncomingSegment {
  /** Plain text. */
  text: IncomingTextSegmentData;
  /** A mention of one user. */
  mention: IncomingMentionSegmentData;
  /** A mention of every member of the group. */
  mention_all: IncomingMentionAllSegmentData;
  /** A built-in QQ face (emoticon). */
  face: IncomingFaceSegmentData;
  /** A quotation of an earlier message this one replies to. */
  reply: IncomingReplySegmentData;
  /** An image. */
  image: IncomingImageSegmentData;
  /** A voice recording. */
  record: IncomingRecordSegmentData;
  /** A video. */
  video: IncomingVideoSegmentData;
  /** A file. */
  file: IncomingFileSegmentData;
  /** A bundle of forwarded messages. */
  forward: IncomingForwardSegmentData;
  /** A sticker from the QQ sticker market. */
  market_face: IncomingMarketFaceSegmentData;
  /** A mini-app card. */
  light_app: IncomingLightAppSegmentData;
  /** A rich card described in XML. */
  xml: IncomingXmlSegmentData;
  /**
   * A Markdown message.
   * @since 1.3
   */
  markdown: IncomingMarkdownSegmentData;
}

/** Payload of a received `text` segment. */
export interface IncomingTextSegmentData {
  /** The text. */
  text: string;
}

/** Payload of a received `mention` segment. */
export interface IncomingMentionSegmentData {
  /** QQ number of the mentioned user. */
  user_id: Uin;
  /**
   * Name the user was mentioned by, without the leading `@`.
   * @since 1.2
   */
  name: string;
}

/** Payload of a received `mention_all` segment: it carries no fields. */
// biome-ignore lint/suspicious/noEmptyInterface: the payload of this segment has no fields.
export interface IncomingMentionAllSegmentData {}

/** Payload of a received `face` segment. */
export interface IncomingFaceSegmentData {
  /** Identifier of the face. */
  face_id: string;
  /**
   * Whether it is a large (animated) face.
   * @since 1.1
   */
  is_large: boolean;
}

/** Payload of a received `reply` segment. */
export interface IncomingReplySegmentData {
  /** Sequence number of the quoted message. */
  message_seq: Int64;
  /**
   * QQ number of the sender of the quoted message.
   * @since 1.2
   */
  sender_id: Uin;
  /**
   * Name of the sender of the quoted message; only known inside forwarded bundles.
   * @since 1.2
   */
  sender_name?: string | null;
  /**
   * When the quoted message was sent, as a Unix timestamp in seconds.
   * @since 1.2
   */
  time: Int64;
  /**
   * Content of the quoted message.
   * @since 1.2
   */
  segments: IncomingSegment[];
}

/** Payload of a received `image` segment. */
export interface IncomingImageSegmentData {
  /** Resource identifier; exchange it for a fresh URL with `get_resource_temp_url`. */
  resource_id: string;
  /** Temporary download URL. */
  temp_url: string;
  /** Width in pixels. */
  width: Int64;
  /** Height in pixels. */
  height: Int64;
  /** Text shown in place of the image in previews. */
  summary: string;
  /** Whether the image is an ordinary picture or a sticker. */
  sub_type: 'normal' | 'sticker';
}

/** Payload of a received `record` segment. */
export interface IncomingRecordSegmentData {
  /** Resource identifier; exchange it for a fresh URL with `get_resource_temp_url`. */
  resource_id: string;
  /** Temporary download URL. */
  temp_url: string;
  /** Length of the recording in seconds. */
  duration: Int64;
}

/** Payload of a received `video` segment. */
export interface IncomingVideoSegmentData {
  /** Resource identifier; exchange it for a fresh URL with `get_resource_temp_url`. */
  resource_id: string;
  /** Temporary download URL. */
  temp_url: string;
  /** Width in pixels. */
  width: Int64;
  /** Height in pixels. */
  height: Int64;
  /** Length of the video in seconds. */
  duration: Int64;
}

/** Payload of a received `file` segment. */
export interface IncomingFileSegmentData {
  /** Identifier of the file. */
  file_id: string;
  /** Name of the file. */
  file_name: string;
  /** Size of the file in bytes. */
  file_size: Int64;
  /** TriSHA1 hash of the file; present only for files sent in a friend chat. */
  file_hash?: string | null;
}

/** Payload of a received `forward` segment. */
export interface IncomingForwardSegmentData {
  /** Identifier of the bundle; read its messages with `get_forwarded_messages`. */
  forward_id: string;
  /**
   * Title of the bundle.
   * @since 1.1
   */
  title: string;
  /**
   * Preview lines shown on the bundle's card.
   * @since 1.1
   */
  preview: string[];
  /**
   * Summary line shown at the bottom of the bundle's card.
   * @since 1.1
   */
  summary: string;
}

/** Payload of a received `market_face` segment. */
export interface IncomingMarketFaceSegmentData {
  /**
   * Identifier of the sticker pack.
   * @since 1.1
   */
  emoji_package_id: Int64;
  /**
   * Identifier of the sticker within its pack.
   * @since 1.1
   */
  emoji_id: string;
  /**
   * Key of the sticker.
   * @since 1.1
   */
  key: string;
  /**
   * Text shown in place of the sticker in previews.
   * @since 1.1
   */
  summary: string;
  /** URL of the sticker image. */
  url: string;
}

/** Payload of a received `light_app` segment. */
export interface IncomingLightAppSegmentData {
  /** Name of the mini-app. */
  app_name: string;
  /** The card's content as a JSON string. */
  json_payload: string;
}

/** Payload of a received `xml` segment. */
export interface IncomingXmlSegmentData {
  /** Service identifier of the card. */
  service_id: Int64;
  /** The card's content as an XML string. */
  xml_payload: string;
}

/** Payload of a received `markdown` segment. */
export interface IncomingMarkdownSegmentData {
  /** The message's Markdown source. */
  content: string;
}

/**
 * A piece of a message the app sends, tagged by `type`, with its payload under `data`.
 * @tagged type
 */
export interface OutgoingSegment {
  /** Plain text. */
  text: OutgoingTextSegmentData;
  /** A mention of one user. */
  mention: OutgoingMentionSegmentData;
  /** A mention of every member of the group. */
  mention_all: OutgoingMentionAllSegmentData;
  /** A built-in QQ face (emoticon). */
  face: OutgoingFaceSegmentData;
  /** A quotation of the message this one replies to. */
  reply: OutgoingReplySegmentData;
  /** An image. */
  image: OutgoingImageSegmentData;
  /** A voice recording. */
  record: OutgoingRecordSegmentData;
  /** A video. */
  video: OutgoingVideoSegmentData;
  /** A bundle of forwarded messages composed by the app. */
  forward: OutgoingForwardSegmentData;
  /**
   * A mini-app card.
   * @since 1.2
   */
  light_app: OutgoingLightAppSegmentData;
}

/** Payload of an outgoing `text` segment. */
export interface OutgoingTextSegmentData {
  /** The text. */
  text: string;
}

/** Payload of an outgoing `mention` segment. */
export interface OutgoingMentionSegmentData {
  /** QQ number of the user to mention. */
  user_id: Uin;
}

/** Payload of an outgoing `mention_all` segment: it carries no fields. */
// biome-ignore lint/suspicious/noEmptyInterface: the payload of this segment has no fields.
export interface OutgoingMentionAllSegmentData {}

/** Payload of an outgoing `face` segment. */
export interface OutgoingFaceSegmentData {
  /** Identifier of the face. */
  face_id: string;
  /**
   * Whether to send the large (animated) form of the face.
   * @default false
   * @since 1.2
   */
  is_large?: boolean | null;
}

/** Payload of an outgoing `reply` segment. */
export interface OutgoingReplySegmentData {
  /** Sequence number of the message to quote. */
  message_seq: Int64;
}

/** Payload of an outgoing `image` segment. */
export interface OutgoingImageSegmentData {
  /** Where the image comes from: a `file://`, `http(s)://` or `base64://` URI. */
  uri: string;
  /**
   * Whether to send it as an ordinary picture or as a sticker.
   * @default "normal"
   */
  sub_type?: 'normal' | 'sticker' | null;
  /** Text shown in place of the image in previews. */
  summary?: string | null;
}

/** Payload of an outgoing `record` segment. */
export interface OutgoingRecordSegmentData {
  /** Where the recording comes from: a `file://`, `http(s)://` or `base64://` URI. */
  uri: string;
}

/** Payload of an outgoing `video` segment. */
export interface OutgoingVideoSegmentData {
  /** Where the video comes from: a `file://`, `http(s)://` or `base64://` URI. */
  uri: string;
  /** Where the cover image comes from, as a URI of the same forms; a frame of the video when absent. */
  thumb_uri?: string | null;
}

/** Payload of an outgoing `forward` segment. */
export interface OutgoingForwardSegmentData {
  /** The messages of the bundle, in order. */
  messages: OutgoingForwardedMessage[];
  /**
   * Title of the bundle.
   * @since 1.2
   */
  title?: string | null;
  /**
   * Preview lines shown on the bundle's card; when given, one to four lines.
   * @since 1.2
   */
  preview?: string[] | null;
  /**
   * Summary line shown at the bottom of the bundle's card.
   * @since 1.2
   */
  summary?: string | null;
  /**
   * Text shown for the bundle in the chat list; only mobile QQ shows it.
   * @since 1.2
   */
  prompt?: string | null;
}

/** Payload of an outgoing `light_app` segment. */
export interface OutgoingLightAppSegmentData {
  /** The card's content as a JSON string. */
  json_payload: string;
}
