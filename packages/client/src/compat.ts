// How the client follows the protocol's compatibility rules (an older app, a newer server): what
// arrives is validated leniently, then
// - an event of a type this version does not know is ignored: the app hears of it as `unknown`,
//   and the first of each type is logged;
// - a message segment of an unknown type becomes a `text` segment saying it is not supported by
//   this version; `unsupportedSegment()` gives the segment as it came;
// - an unknown member of another union inside an array (a group notification, say) is left out,
//   and the first of each type is logged.

import {
  applyCompatibility,
  type CompatibilityHandlers,
  type IncomingSegment,
  type IncomingSegmentOf,
  type MilkySchema,
  milkyVersion,
  type UnknownIncomingSegment,
  type UnknownMember,
} from '@milky/types';
import type { Logger } from './logger.ts';

/** Most distinct unknown types logged; beyond, they are still handled, but not logged. */
const loggedLimit = 256;

const originals = new WeakMap<object, UnknownIncomingSegment>();

/**
 * The segment as the server sent it, when it is of a type this version of the protocol does not
 * know and the client handed over a `text` segment in its place; `undefined` for any other segment.
 */
export function unsupportedSegment(segment: IncomingSegment): UnknownIncomingSegment | undefined {
  return originals.get(segment);
}

/** The `text` segment that stands for a segment of an unknown type. */
function placeholder(unknown: UnknownMember): IncomingSegmentOf<'text'> {
  const text: IncomingSegmentOf<'text'> = {
    type: 'text',
    data: { text: `[${unknown.tag}: a message segment this app's Milky version (${milkyVersion}) does not support]` },
  };
  originals.set(text, unknown.value as unknown as UnknownIncomingSegment);
  return text;
}

/** Applies the compatibility rules, logging the first of each unknown type. */
export class Compatibility {
  private readonly logger: Logger;
  private readonly logged = new Set<string>();
  private readonly handlers: CompatibilityHandlers;

  constructor(logger: Logger) {
    this.logger = logger;
    this.handlers = {
      segment: (unknown) => {
        this.once(`segment ${unknown.tag}`, 'a message segment of a type this version does not know is shown as text', {
          type: unknown.tag,
        });
        return placeholder(unknown);
      },
      skipped: (unknown) => {
        this.once(`${unknown.union} ${unknown.tag}`, 'an entry of a type this version does not know is left out', {
          union: unknown.union,
          type: unknown.tag,
        });
      },
    };
  }

  /** A value that passed lenient validation against `schema`, with the rules applied. */
  apply<T>(schema: MilkySchema<T>, value: unknown): T {
    return applyCompatibility(schema, value, this.handlers);
  }

  /** Logs (once per type) that an event of an unknown type was ignored. */
  ignoredEvent(type: string): void {
    this.once(`event ${type}`, 'an event of a type this version does not know is ignored', { event_type: type, milkyVersion });
  }

  private once(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.logged.has(key) || this.logged.size >= loggedLimit) return;
    this.logged.add(key);
    this.logger.warn(message, fields);
  }
}
