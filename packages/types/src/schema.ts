import { type TSchema, Type } from '@sinclair/typebox';

/**
 * A TypeBox schema of the protocol whose static type is `T`: `Static<MilkySchema<T>>` is `T`.
 * Every schema export of this package has this type.
 */
export interface MilkySchema<T> extends TSchema {
  static: T;
}

/** The static type a schema describes. */
export type Infer<S> = S extends MilkySchema<infer T> ? T : never;

/** What this package needs of a TypeBox module: importing a definition by name. */
export interface SchemaModule {
  Import(name: string): TSchema;
}

/**
 * `Type.Module` seen through {@link SchemaModule}: its generic type, computed over a table of
 * ~200 definitions, is deeper than the compiler will go, and nothing here needs it.
 */
export const createModule = Type.Module as unknown as (definitions: Readonly<Record<string, TSchema>>) => SchemaModule;
