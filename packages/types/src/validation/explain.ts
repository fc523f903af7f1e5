// Explains why a value fails a schema. The compiled checks only answer yes or no; this walks the
// schema beside the value and says where and what was expected. It runs on failures only.
//
// A union tagged by a discriminator (`x-milky-union`) is explained through the variant its tag
// selects, so a bad segment reads `message[3].data.message_seq: expected an integer ...` rather
// than "no variant matched".

import { Kind, type TSchema } from '@sinclair/typebox';
import { type Definitions, deref, rootOf } from '../definitions.ts';
import { describeValue, issue, type PathSegment, type ValidationIssue } from './issues.ts';

/**
 * Metadata the generator puts on every union told apart by a discriminator (tools/src/emit/typebox.ts
 * writes it under the same key: change both together).
 */
export interface UnionMetadata {
  readonly discriminator: string;
  readonly layout: 'tagged' | 'inline';
  readonly extensible: boolean;
  readonly envelope: readonly string[];
}

export const unionMetadataKey = 'x-milky-union';
/** Marks the variant a lenient schema adds to an extensible union for tags it does not know. */
export const unknownVariantKey = 'x-milky-unknown';

/** How a union of the protocol tells its variants apart (its discriminator and tags), or `undefined` for a schema that is not one. */
export function unionMetadata(schema: TSchema): UnionMetadata | undefined {
  return schema[unionMetadataKey] as UnionMetadata | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Explainer {
  readonly issues: ValidationIssue[] = [];
  private readonly definitions: Definitions;
  private readonly limit: number;

  constructor(definitions: Definitions, limit: number) {
    this.definitions = definitions;
    this.limit = limit;
  }

  private resolve(schema: TSchema): TSchema {
    return deref(schema, this.definitions);
  }

  /** What a schema expects, in words. */
  expected(schema: TSchema): string {
    const resolved = this.resolve(schema);
    switch (resolved[Kind]) {
      case 'String':
        return 'a string';
      case 'Boolean':
        return 'a boolean';
      case 'Null':
        return 'null';
      case 'Integer': {
        const { minimum, maximum } = resolved as { minimum?: number; maximum?: number };
        if (minimum !== undefined && maximum !== undefined) return `an integer from ${minimum} to ${maximum}`;
        if (minimum !== undefined) return `an integer of at least ${minimum}`;
        return 'an integer';
      }
      case 'Literal':
        return JSON.stringify(resolved.const);
      case 'Array':
        return 'an array';
      case 'Object':
        return 'an object';
      case 'Union': {
        const members = (resolved.anyOf as TSchema[]).map((member) => this.resolve(member));
        if (unionMetadata(resolved)) return 'an object';
        if (members.every((member) => member[Kind] === 'Literal')) {
          return `one of ${members.map((member) => JSON.stringify(member.const)).join(', ')}`;
        }
        return [...new Set(members.map((member) => this.expected(member)))].join(' or ');
      }
      case 'Intersect':
        return (resolved.allOf as TSchema[]).map((member) => this.expected(member)).join(' and ');
      case 'Not':
        return `anything but ${this.expected(resolved.not as TSchema)}`;
      case 'Unknown':
      case 'Any':
        return 'any value';
      default:
        return `a value of kind ${String(resolved[Kind])}`;
    }
  }

  private full(): boolean {
    return this.issues.length >= this.limit;
  }

  private report(path: readonly PathSegment[], schema: TSchema, value: unknown): void {
    this.issues.push(issue(path, this.expected(schema), describeValue(value)));
  }

  /** Whether a value passes a schema, by explaining it quietly. */
  private passes(schema: TSchema, value: unknown): boolean {
    const probe = new Explainer(this.definitions, 1);
    probe.visit(schema, value, []);
    return probe.issues.length === 0;
  }

  visit(schema: TSchema, value: unknown, path: readonly PathSegment[]): void {
    if (this.full()) return;
    const resolved = this.resolve(schema);
    switch (resolved[Kind]) {
      case 'String':
        if (typeof value !== 'string') this.report(path, resolved, value);
        return;
      case 'Boolean':
        if (typeof value !== 'boolean') this.report(path, resolved, value);
        return;
      case 'Null':
        if (value !== null) this.report(path, resolved, value);
        return;
      case 'Integer': {
        const { minimum, maximum } = resolved as { minimum?: number; maximum?: number };
        const ok =
          typeof value === 'number' &&
          Number.isInteger(value) &&
          (minimum === undefined || value >= minimum) &&
          (maximum === undefined || value <= maximum);
        if (!ok) this.report(path, resolved, value);
        return;
      }
      case 'Literal':
        if (value !== resolved.const) this.report(path, resolved, value);
        return;
      case 'Unknown':
      case 'Any':
        return;
      case 'Array':
        if (!Array.isArray(value)) {
          this.report(path, resolved, value);
          return;
        }
        for (let index = 0; index < value.length && !this.full(); index++) {
          this.visit(resolved.items as TSchema, value[index], [...path, index]);
        }
        return;
      case 'Object':
        this.visitObject(resolved, value, path);
        return;
      case 'Union':
        this.visitUnion(resolved, value, path);
        return;
      case 'Intersect':
        for (const member of resolved.allOf as TSchema[]) this.visit(member, value, path);
        return;
      case 'Not':
        if (this.passes(resolved.not as TSchema, value)) this.report(path, resolved, value);
        return;
      default:
        throw new Error(`cannot explain a schema of kind ${String(resolved[Kind])}`);
    }
  }

  private visitObject(schema: TSchema, value: unknown, path: readonly PathSegment[]): void {
    if (!isPlainObject(value)) {
      this.report(path, schema, value);
      return;
    }
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [key, property] of Object.entries(properties)) {
      if (this.full()) return;
      const field = value[key];
      if (field === undefined) {
        if (required.has(key)) {
          const expected = this.expected(property);
          this.issues.push(issue([...path, key], expected, 'nothing', `required field is missing (expected ${expected})`));
        }
        continue;
      }
      this.visit(property, field, [...path, key]);
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(value)) {
        if (this.full()) return;
        if (!Object.hasOwn(properties, key)) {
          this.issues.push(issue([...path, key], 'no such field', describeValue(value[key]), 'unexpected field'));
        }
      }
    }
  }

  private visitUnion(schema: TSchema, value: unknown, path: readonly PathSegment[]): void {
    const members = schema.anyOf as TSchema[];
    const metadata = unionMetadata(schema);
    if (!metadata) {
      if (!members.some((member) => this.passes(member, value))) {
        const nonNull = members.filter((member) => this.resolve(member)[Kind] !== 'Null');
        // `T | null` with a non-null value: explain it against T, which says more.
        if (nonNull.length === 1 && value !== null) this.visit(nonNull[0] as TSchema, value, path);
        else this.report(path, schema, value);
      }
      return;
    }
    if (!isPlainObject(value)) {
      this.report(path, schema, value);
      return;
    }
    const tag = value[metadata.discriminator];
    const tags: unknown[] = [];
    let fallback: TSchema | undefined;
    for (const member of members) {
      const variant = this.resolve(member);
      if (variant[unknownVariantKey]) {
        fallback = variant;
        continue;
      }
      const variantTag = (variant.properties as Record<string, TSchema>)[metadata.discriminator]?.const;
      if (variantTag === tag) {
        this.visit(variant, value, path);
        return;
      }
      tags.push(variantTag);
    }
    if (fallback && typeof tag === 'string') {
      this.visit(fallback, value, path);
      return;
    }
    const expected = `one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`;
    const where = [...path, metadata.discriminator];
    if (tag === undefined) {
      this.issues.push(issue(where, expected, 'nothing', `required field is missing (expected ${expected})`));
    } else {
      this.issues.push(issue(where, expected, describeValue(tag)));
    }
  }
}

/**
 * Lists why `value` does not match `schema` (empty when it does), at most `limit` reasons.
 * `definitions` resolves `Type.Ref`; a schema from `Type.Module(...).Import()` brings its own.
 */
export function explain(schema: TSchema, value: unknown, limit = 20, definitions?: Definitions): ValidationIssue[] {
  const { root, definitions: defs } = rootOf(schema, definitions);
  const explainer = new Explainer(defs, limit);
  explainer.visit(root, value, []);
  return explainer.issues;
}
