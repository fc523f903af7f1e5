// Compiled validators: each schema is compiled with the TypeBox compiler the first time it checks
// a value, then reused. Failures are explained by explain.ts.

import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { definitions } from '../generated/schemas.ts';
import { createModule, type MilkySchema, type SchemaModule } from '../schema.ts';
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

let lenientModule: SchemaModule | undefined;

/** The schema to compile for a mode: lenient validation needs one of this package's schemas. */
function target(schema: TSchema, mode: ValidationMode): TSchema {
  if (mode === 'strict') return schema;
  const name = schema.$ref as string | undefined;
  if (schema[Kind] !== 'Import' || name === undefined || !Object.hasOwn(definitions, name)) {
    throw new TypeError('lenient validation applies to the schemas of @milky/types only');
  }
  lenientModule ??= createModule(lenientDefinitions(definitions));
  return lenientModule.Import(name);
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
