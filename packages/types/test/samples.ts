// Lists the places of a sample where a mutation must make it invalid. Used to test every API and
// every event the same way.

import { Kind, type TSchema } from '@sinclair/typebox';
import { deref, rootOf } from '../src/definitions.ts';
import { unionMetadata } from '../src/index.ts';

export { sample } from '../src/samples.ts';

export type Path = ReadonlyArray<string | number>;

export type Mutation = 'missing' | 'wrong type' | 'uin out of range' | 'not in enum' | 'unknown tag' | 'unexpected field';

export interface Slot {
  readonly path: Path;
  readonly mutation: Mutation;
  /** The value to put there (`undefined`: delete the field). */
  readonly value: unknown;
  /** Whether lenient validation must still accept the mutated value. */
  readonly lenientAccepts: boolean;
}

/** Every place of a valid sample where a mutation must make it invalid, in strict mode. */
export function slots(schema: TSchema, value: unknown): Slot[] {
  const { root, definitions } = rootOf(schema);
  const out: Slot[] = [];
  const walk = (node: TSchema, current: unknown, path: Path): void => {
    const s = deref(node, definitions);
    switch (s[Kind]) {
      case 'String':
        out.push({ path, mutation: 'wrong type', value: 12345, lenientAccepts: false });
        return;
      case 'Boolean':
        out.push({ path, mutation: 'wrong type', value: 'true', lenientAccepts: false });
        return;
      case 'Integer':
        out.push({ path, mutation: 'wrong type', value: String(current), lenientAccepts: false });
        if ((s.minimum as number) === 10001) {
          out.push({ path, mutation: 'uin out of range', value: 10000, lenientAccepts: false });
          out.push({ path, mutation: 'uin out of range', value: 4294967296, lenientAccepts: false });
        }
        return;
      case 'Array':
        out.push({ path, mutation: 'wrong type', value: {}, lenientAccepts: false });
        (current as unknown[]).forEach((item, index) => {
          walk(s.items as TSchema, item, [...path, index]);
        });
        return;
      case 'Object': {
        out.push({ path, mutation: 'wrong type', value: [], lenientAccepts: false });
        if (s.additionalProperties === false) {
          out.push({ path: [...path, 'unexpected_field'], mutation: 'unexpected field', value: 1, lenientAccepts: true });
        }
        const record = current as Record<string, unknown>;
        const required = new Set((s.required ?? []) as string[]);
        for (const [key, property] of Object.entries(s.properties as Record<string, TSchema>)) {
          if (!(key in record)) continue;
          if (required.has(key)) out.push({ path: [...path, key], mutation: 'missing', value: undefined, lenientAccepts: false });
          walk(property, record[key], [...path, key]);
        }
        return;
      }
      case 'Union': {
        const metadata = unionMetadata(s);
        const members = s.anyOf as TSchema[];
        if (metadata) {
          const tag = (current as Record<string, unknown>)[metadata.discriminator];
          out.push({
            path: [...path, metadata.discriminator],
            mutation: 'unknown tag',
            value: 'no_such_tag',
            lenientAccepts: metadata.extensible,
          });
          const chosen = members.find(
            (member) => (deref(member, definitions).properties as Record<string, TSchema>)[metadata.discriminator]?.const === tag,
          );
          if (chosen) walk(chosen, current, path);
          return;
        }
        const resolved = members.map((member) => deref(member, definitions));
        if (resolved.every((member) => member[Kind] === 'Literal')) {
          out.push({ path, mutation: 'not in enum', value: 'not_a_member', lenientAccepts: false });
          return;
        }
        const nonNull = resolved.filter((member) => member[Kind] !== 'Null');
        if (nonNull.length === 1 && current !== null) walk(nonNull[0] as TSchema, current, path);
        return;
      }
      default:
        return;
    }
  };
  walk(root, value, []);
  return out;
}

/** A copy of `value` with the slot mutated. */
export function mutate(value: unknown, slot: Slot): unknown {
  if (slot.path.length === 0) return slot.value;
  const copy = structuredClone(value);
  let parent = copy as Record<string | number, unknown>;
  for (const segment of slot.path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = slot.path[slot.path.length - 1] as string | number;
  if (slot.value === undefined) delete parent[last];
  else parent[last] = slot.value;
  return copy;
}
