import type { FileApis } from './api/file.ts';
import type { FriendApis } from './api/friend.ts';
import type { GroupApis } from './api/group.ts';
import type { MessageApis } from './api/message.ts';
import type { SystemApis } from './api/system.ts';
import type { Event } from './events.ts';
import type { Wire } from './wire.ts';

export type * from './api/file.ts';
export type * from './api/friend.ts';
export type * from './api/group.ts';
export type * from './api/message.ts';
export type * from './api/system.ts';
export type * from './entities.ts';
export type * from './events.ts';
export type * from './messages.ts';
export type * from './scalars.ts';
export type * from './segments.ts';
export type * from './wire.ts';

/**
 * The Milky protocol: the HTTP APIs a protocol side offers and the events it pushes.
 * The generator starts here and follows every type reachable from this root.
 */
export interface Protocol {
  /** Version of the protocol this spec describes (major.minor). */
  version: '1.3';
  /** The APIs, by category; each is called as `POST /api/<name>`. */
  apis: {
    /** System: the logged-in account, the protocol side, and friend, group and member lookups. */
    system: SystemApis;
    /** Messages: sending, recalling, reading and looking up messages. */
    message: MessageApis;
    /** Friends: nudges, likes, removal and friend requests. */
    friend: FriendApis;
    /** Groups: settings, members, announcements, essence messages, reactions and requests. */
    group: GroupApis;
    /** Files: friend and group files and group folders. */
    file: FileApis;
  };
  /** The events a protocol side pushes over WebSocket, Server-Sent Events or WebHook. */
  event: Event;
  /** The retcodes and HTTP answers every API shares. */
  wire: Wire;
}
