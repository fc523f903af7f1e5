// The protocol's compatibility rules, for receivers of a newer protocol side. A value that passed
// lenient validation is walked beside its schema, and what this version does not know is dealt
// with as the rules say:
// - a message segment of an unknown type (a member of `IncomingSegment`) is replaced by what
//   `segment` makes of it (the receiver's choice: a `text` saying it is not supported);
// - an unknown member of any other union inside an array is left out, and `skipped` is told;
// - an unknown value of a union on its own (an event, a field) is kept as it is: what to do with
//   it is the receiver's business (`isKnownEvent` tells events apart).
// Fields the schema does not declare are kept. Objects are changed in place; arrays that lose or
// replace an element are new arrays.

import { Kind, type TSchema } from '@sinclair/typebox';
import { type Definitions, deref, rootOf } from '../definitions.ts';
import type { MilkySchema } from '../schema.ts';
import { unionMetadata } from './explain.ts';

/** The union whose unknown members are replaced rather than left out: message segments. */
export const segmentUnionName = 'IncomingSegment';

/** A member of an extensible union whose tag this version does not know. */
export interface UnknownMember {
  /** The union it belongs to, as the spec names it: `IncomingSegment`, `GroupNotification`… */
  readonly union: string;
  /** Its tag (`type`, `event_type`…), unknown to this version. */
  readonly tag: string;
  /** Where it was in the value, such as `messages[2].segments[0]`. */
  readonly path: string;
  /** The member as it came. */
  readonly value: Readonly<Record<string, unknown>>;
}

export interface CompatibilityHandlers {
  /** What an unknown message segment becomes. */
  readonly segment: (unknown: UnknownMember) => unknown;
  /** An unknown member of another union inside an array was left out. */
  readonly skipped?: ((unknown: UnknownMember) => void) | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Walker {
  private readonly definitions: Definitions;
  private readonly handlers: CompatibilityHandlers;

  constructor(definitions: Definitions, handlers: CompatibilityHandlers) {
    this.definitions = definitions;
    this.handlers = handlers;
  }

  visit(schema: TSchema, value: unknown, path: string): unknown {
    const resolved = deref(schema, this.definitions);
    switch (resolved[Kind]) {
      case 'Object': {
        if (!isRecord(value)) return value;
        for (const [key, property] of Object.entries(resolved.properties as Record<string, TSchema>)) {
          if (value[key] !== undefined && value[key] !== null) value[key] = this.visit(property, value[key], path ? `${path}.${key}` : key);
        }
        return value;
      }
      case 'Array': {
        if (!Array.isArray(value)) return value;
        const items = resolved.items as TSchema;
        let changed = false;
        const out: unknown[] = [];
        value.forEach((item, index) => {
          const here = `${path}[${index}]`;
          const unknown = this.unknownMember(items, item, here);
          if (!unknown) {
            out.push(this.visit(items, item, here));
            return;
          }
          changed = true;
          if (unknown.union === segmentUnionName) out.push(this.handlers.segment(unknown));
          else this.handlers.skipped?.(unknown);
        });
        return changed ? out : value;
      }
      case 'Union': {
        const member = this.member(resolved, value);
        return member ? this.visit(member, value, path) : value;
      }
      default:
        return value;
    }
  }

  /** The member of a union that a value belongs to: by its tag, or the one non-null member of `T | null`. */
  private member(union: TSchema, value: unknown): TSchema | undefined {
    const members = union.anyOf as TSchema[];
    const metadata = unionMetadata(union);
    if (!metadata) return value === null ? undefined : members.find((member) => deref(member, this.definitions)[Kind] !== 'Null');
    if (!isRecord(value)) return undefined;
    const tag = value[metadata.discriminator];
    return members.find((member) => this.tagOf(member, metadata.discriminator) === tag);
  }

  private tagOf(member: TSchema, discriminator: string): unknown {
    return (deref(member, this.definitions).properties as Record<string, TSchema> | undefined)?.[discriminator]?.const;
  }

  /** The value as an unknown member, when the schema is an extensible union that does not know its tag. */
  private unknownMember(schema: TSchema, value: unknown, path: string): UnknownMember | undefined {
    const resolved = deref(schema, this.definitions);
    const metadata = unionMetadata(resolved);
    if (resolved[Kind] !== 'Union' || !metadata?.extensible || !isRecord(value)) return undefined;
    const tag = value[metadata.discriminator];
    if (typeof tag !== 'string') return undefined;
    const known = (resolved.anyOf as TSchema[]).some((member) => this.tagOf(member, metadata.discriminator) === tag);
    if (known) return undefined;
    const union = schema[Kind] === 'Ref' ? String(schema.$ref) : String(resolved.$id ?? 'a union');
    return { union, tag, path, value };
  }
}

/**
 * Applies the compatibility rules to a value that passed lenient validation against `schema`:
 * unknown message segments become what `handlers.segment` makes of them, unknown members of other
 * unions inside arrays are left out. Returns the value, changed in place where it could be.
 */
export function applyCompatibility<T>(schema: MilkySchema<T>, value: unknown, handlers: CompatibilityHandlers): T {
  const { root, definitions } = rootOf(schema);
  return new Walker(definitions, handlers).visit(root, value, '') as T;
}
