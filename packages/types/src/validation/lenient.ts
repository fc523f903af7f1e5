// Lenient schemas, for receivers: derived once from the strict definitions, so that
// - an extensible union (events, incoming segments, group notifications) accepts a variant whose
//   tag this version does not know, keeping it as it came (envelope fields still checked);
// - objects accept fields they do not declare (a newer protocol side may add some).
// Everything the schema does declare is checked as strictly as ever.

import { Kind, type TSchema, Type } from '@sinclair/typebox';
import { type Definitions, deref } from '../definitions.ts';
import { unionMetadata, unknownVariantKey } from './explain.ts';

function tagOf(definitions: Definitions, variant: TSchema, discriminator: string): string {
  const tag = (deref(variant, definitions).properties as Record<string, TSchema> | undefined)?.[discriminator]?.const;
  if (typeof tag !== 'string') throw new Error(`a variant has no string tag ${discriminator}`);
  return tag;
}

function loosen(definitions: Definitions, schema: TSchema): TSchema {
  switch (schema[Kind]) {
    case 'Object': {
      const { additionalProperties: _closed, ...rest } = schema;
      const properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, TSchema>).map(([key, value]) => [key, loosen(definitions, value)]),
      );
      return { ...rest, properties } as TSchema;
    }
    case 'Array':
      return { ...schema, items: loosen(definitions, schema.items as TSchema) } as TSchema;
    case 'Union': {
      const members = (schema.anyOf as TSchema[]).map((member) => loosen(definitions, member));
      const metadata = unionMetadata(schema);
      if (!metadata?.extensible) return { ...schema, anyOf: members } as TSchema;
      const known = (schema.anyOf as TSchema[]).map((member) => tagOf(definitions, member, metadata.discriminator));
      const tag = Type.Intersect([Type.String(), Type.Not(Type.Union(known.map((value) => Type.Literal(value))))]);
      const first = members[0] as TSchema;
      const envelope = Object.fromEntries(
        metadata.envelope.map((name) => [name, (first.properties as Record<string, TSchema>)[name] as TSchema]),
      );
      const unknown =
        metadata.layout === 'tagged'
          ? Type.Object({ [metadata.discriminator]: tag, ...envelope, data: Type.Unknown() }, { [unknownVariantKey]: true })
          : Type.Object({ [metadata.discriminator]: tag }, { [unknownVariantKey]: true });
      return { ...schema, anyOf: [...members, unknown] } as TSchema;
    }
    default:
      return schema;
  }
}

/** The lenient form of every definition. */
export function lenientDefinitions(definitions: Definitions): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(definitions).map(([name, schema]) => [name, loosen(definitions, schema)]));
}
