// Compiled validators: each schema is compiled with the TypeBox compiler the first time it checks
// a value, then reused. A validator needs nothing but its schema, so that a bundle keeps only the
// schemas it validates. Failures are explained by explain.ts.

import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Definitions } from '../definitions.ts';
import { createModule, type MilkySchema } from '../schema.ts';
import { explain } from './explain.ts';
import { MilkyValidationError, type ValidationIssue } from './issues.ts';
import { lenientDefinitions } from './lenient.ts';

/**
 * `strict`: exactly the protocol (for protocol sides and tests).
 * `lenient`: for receivers; unknown event types, incoming segment types and group notification
 * types pass with the fields they carry, and objects may carry fields the protocol does not declare.
 */
export type ValidationMode = 'strict' | 'lenient';

/** A compiled check of one schema, in one mode: `check`, `issues` and `parse`. */
export interface Validator<T> {
  readonly schema: MilkySchema<T>;
  readonly mode: ValidationMode;
  /** Whether the value matches; narrows it. */
  check(value: unknown): value is T;
  /** Why the value does not match, at most `limit` reasons; empty when it matches. */
  issues(value: unknown, limit?: number): ValidationIssue[];
  /** Returns the value when it matches; otherwise throws a {@link MilkyValidationError} naming `subject`. */
  parse(value: unknown, subject?: string): T;
}

/**
 * The schema to compile for a mode. The lenient form of a schema of this package is imported from
 * a module of the lenient forms of the declarations it carries (its own and those it refers to).
 */
function target(schema: TSchema, mode: ValidationMode): TSchema {
  if (mode === 'strict') return schema;
  const name = schema.$ref as string | undefined;
  const carried = schema.$defs as Definitions | undefined;
  if (schema[Kind] !== 'Import' || name === undefined || carried === undefined || !Object.hasOwn(carried, name)) {
    throw new TypeError('lenient validation applies to the schemas of @milky/types only');
  }
  return createModule(lenientDefinitions(carried)).Import(name);
}

const cache = new WeakMap<TSchema, Partial<Record<ValidationMode, Validator<unknown>>>>();

/** The validator of a schema in a mode, made once and compiled on first use. */
export function validator<T>(schema: MilkySchema<T>, mode: ValidationMode = 'strict'): Validator<T> {
  const cached = cache.get(schema)?.[mode];
  if (cached) return cached as Validator<T>;
  const compiled = target(schema, mode);
  let check = (value: unknown): boolean => {
    const checker = TypeCompiler.Compile(compiled);
    check = (v) => checker.Check(v);
    return check(value);
  };
  const made: Validator<T> = {
    schema,
    mode,
    check: (value: unknown): value is T => check(value),
    issues: (value, limit = 20) => (check(value) ? [] : explain(compiled, value, limit)),
    parse(value, subject = 'value') {
      if (check(value)) return value as T;
      throw new MilkyValidationError(subject, explain(compiled, value));
    },
  };
  cache.set(schema, { ...cache.get(schema), [mode]: made });
  return made;
}
