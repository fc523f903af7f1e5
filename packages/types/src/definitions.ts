// Walking the schemas: a schema imported from the module carries every definition with it.

import { Kind, type TSchema } from '@sinclair/typebox';

/** Definitions by name, as `Type.Ref` names them. */
export type Definitions = Readonly<Record<string, TSchema>>;

/** The schema a value is checked against, and the definitions its references resolve in. */
export function rootOf(schema: TSchema, definitions: Definitions = {}): { root: TSchema; definitions: Definitions } {
  if (schema[Kind] !== 'Import') return { root: schema, definitions };
  const imported = schema.$defs as Definitions;
  const root = imported[schema.$ref as string];
  if (!root) throw new Error(`unresolvable reference ${String(schema.$ref)}`);
  return { root, definitions: imported };
}

/** Follows references until a schema that is not one. */
export function deref(schema: TSchema, definitions: Definitions): TSchema {
  let current = schema;
  for (let depth = 0; current[Kind] === 'Ref'; depth++) {
    const target = definitions[current.$ref as string];
    if (!target || depth > 32) throw new Error(`unresolvable reference ${String(current.$ref)}`);
    current = target;
  }
  return current;
}
