// Valid example values of any schema of the protocol: for tests, fixtures, mock servers and docs.
// Arrays of a union hold one element per variant, so that one sample shows every segment type.

import { Kind, type TSchema } from '@sinclair/typebox';
import { deref, rootOf } from './definitions.ts';
import type { MilkySchema } from './schema.ts';
import { unionMetadata } from './validation/explain.ts';

/** Options of `sample()`. */
export interface SampleOptions {
  /** Include optional fields (with a non-null value) rather than leave them out. Default true. */
  readonly full?: boolean;
  /** For a union at the top (such as `Event`), the tag of the variant to build. */
  readonly tag?: string;
}

/**
 * A valid value of a schema: `sample(FriendEntity)`, `sample(Event, { tag: 'group_nudge' })`. Arrays of a union hold one element per variant, so that one sample
 * covers every segment type; recursion stops after a few levels with empty arrays.
 */
export function sample<T>(schema: MilkySchema<T>, options?: SampleOptions): T;
export function sample(schema: TSchema, options?: SampleOptions): unknown;
export function sample(schema: TSchema, options: SampleOptions = {}): unknown {
  const full = options.full ?? true;
  const { root, definitions } = rootOf(schema);
  const build = (node: TSchema, depth: number, tag?: string): unknown => {
    const s = deref(node, definitions);
    switch (s[Kind]) {
      case 'String':
        return 'sample text';
      case 'Boolean':
        return true;
      case 'Null':
        return null;
      case 'Literal':
        return s.const;
      case 'Integer': {
        // A QQ number for QQ numbers, a small count otherwise; within the field's own bounds.
        const minimum = (s.minimum as number | undefined) ?? 0;
        const maximum = (s.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER;
        return Math.min(Math.max(minimum >= 10001 ? 1234567890 : 42, minimum), maximum);
      }
      case 'Unknown':
        return { anything: true };
      case 'Array': {
        if (depth > 4) return [];
        const items = deref(s.items as TSchema, definitions);
        const metadata = unionMetadata(items);
        if (!metadata) return [build(items, depth + 1)];
        return (items.anyOf as TSchema[]).map((variant) => build(variant, depth + 1));
      }
      case 'Object': {
        const out: Record<string, unknown> = {};
        const required = new Set((s.required ?? []) as string[]);
        for (const [key, property] of Object.entries(s.properties as Record<string, TSchema>)) {
          if (required.has(key) || full) out[key] = build(property, depth + 1);
        }
        return out;
      }
      case 'Union': {
        const members = (s.anyOf as TSchema[]).filter((member) => deref(member, definitions)[Kind] !== 'Null');
        const metadata = unionMetadata(s);
        if (metadata && tag !== undefined) {
          const chosen = members.find(
            (member) => (deref(member, definitions).properties as Record<string, TSchema>)[metadata.discriminator]?.const === tag,
          );
          if (!chosen) throw new Error(`no variant ${tag}`);
          return build(chosen, depth + 1);
        }
        return build(members[0] as TSchema, depth + 1);
      }
      default:
        throw new Error(`cannot sample ${String(s[Kind])}`);
    }
  };
  return build(root, 0, options.tag);
}
