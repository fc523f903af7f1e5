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

/** A function making the TypeBox schema of one declaration, as the generated module holds them. */
export type Declaration = () => TSchema;

/**
 * The schema of the declaration `name`, imported from a TypeBox module of `closure`: that
 * declaration and every one it refers to, so that `Type.Ref` resolves and recursive types compile.
 * The generated schemas are made this way, each with only what it needs, so that a bundle that uses
 * one schema carries no other.
 */
export function importSchema<T>(name: string, closure: Readonly<Record<string, Declaration>>): MilkySchema<T> {
  return createModule(definitionTable(closure)).Import(name) as MilkySchema<T>;
}

/** The schemas of some declarations, by name. */
export function definitionTable(declarations: Readonly<Record<string, Declaration>>): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(declarations).map(([name, make]) => [name, make()]));
}
