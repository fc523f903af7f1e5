// Turns the raw JSON Schema of the spec into the model, checking every rule of spec/README.md.
//
// What the spec states is taken as written; what it leaves implicit is derived here, once:
// - `since` of a declaration without its own tag is the earliest version of anything that uses it;
//   a field or variant without a tag has the version of its declaration;
// - an API without `input` or `output` gets an empty struct (`<Api>Input`, `<Api>Output`);
// - each struct and union is sent by one side only: reachable from API inputs (the app sends it)
//   or from API outputs and events (the protocol side sends it).

import {
  type Api,
  type Category,
  compareVersions,
  type Decl,
  type Direction,
  dependenciesOf,
  type Envelope,
  type EnvelopeField,
  type EnvelopeShape,
  type Field,
  type HttpAnswer,
  isVersion,
  type JsonValue,
  type Model,
  minVersion,
  type Provenance,
  type Retcode,
  refsOf,
  type ScalarDecl,
  type StructDecl,
  type TypeNode,
  type UnionDecl,
  type Variant,
  type Version,
  type Wire,
} from './ir.ts';
import type { RawSchema, RawSpec } from './read-spec.ts';

/** Name of the root interface of the spec. */
export const rootName = 'Protocol';
/** Version of anything that states none and that nothing older uses. */
export const firstVersion: Version = '1.0';

export class SpecError extends Error {
  override name = 'SpecError';
}

function fail(where: string, message: string): never {
  throw new SpecError(`${where}: ${message}`);
}

const refPrefix = '#/definitions/';

function refName(where: string, ref: string): string {
  if (!ref.startsWith(refPrefix)) fail(where, `unexpected reference ${ref}`);
  return decodeURIComponent(ref.slice(refPrefix.length));
}

function pascalCase(snake: string): string {
  return snake.replace(/(^|_)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** Reads a `@since` tag. */
function readSince(where: string, value: unknown): Version | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isVersion(value)) {
    fail(where, `@since must be a version such as 1.2, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Reads a field's `@minimum`/`@maximum`, as written, into a whole number. */
function readBound(where: string, tag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const bound = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(bound)) fail(where, `@${tag} must be a whole number, got ${JSON.stringify(value)}`);
  return bound;
}

/** Narrows an integer field to its own `@minimum`/`@maximum`, which must lie within its scalar's bounds. */
function narrow(where: string, type: TypeNode, minimumTag: unknown, maximumTag: unknown): TypeNode {
  if (type.kind !== 'integer') fail(where, '@minimum and @maximum go on integer fields only');
  const minimum = readBound(where, 'minimum', minimumTag) ?? type.minimum;
  const maximum = readBound(where, 'maximum', maximumTag) ?? type.maximum;
  if (minimum < type.minimum || maximum > type.maximum) {
    fail(where, `bounds ${minimum}..${maximum} go beyond those of ${type.scalar} (${type.minimum}..${type.maximum})`);
  }
  if (minimum > maximum) fail(where, `@minimum ${minimum} is above @maximum ${maximum}`);
  return { ...type, minimum, maximum, narrowed: true };
}

/** Reads a tag that is there or not, such as `@readOnly`; it takes no text. */
function readFlag(where: string, tag: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (value !== '') fail(where, `@${tag} takes no text, got ${JSON.stringify(value)}`);
  return true;
}

function readDescription(where: string, schema: RawSchema): string {
  const description = schema.description?.trim();
  if (!description) fail(where, 'has no description: write one in its JSDoc');
  return description;
}

function readTag(where: string, schema: RawSchema, tag: 'tagged' | 'envelope' | 'discriminator'): string | undefined {
  const value = schema[tag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    fail(where, `@${tag} needs a name, got ${JSON.stringify(value)}`);
  }
  return value;
}

function propertyNames(schema: RawSchema): string[] {
  return [...(schema.propertyOrder ?? Object.keys(schema.properties ?? {}))];
}

class ModelBuilder {
  private readonly defs: Readonly<Record<string, RawSchema>>;
  private readonly scalars = new Map<string, ScalarDecl>();
  /** Declarations in the order the spec declares them, with `since` still unresolved. */
  private readonly decls = new Map<string, Decl>();
  /** Declarations whose `since` was stated with a tag. */
  private readonly statedSince = new Map<string, Version>();
  /** The empty structs of APIs that declare no input or output. */
  private readonly synthesized = new Map<string, StructDecl>();

  /** The spec's own version: nothing in it may be newer. */
  private version: Version = firstVersion;

  constructor(raw: RawSpec) {
    this.defs = raw.definitions;
  }

  build(specVersion: string): Model {
    const root = this.defs[rootName];
    if (!root) fail('spec', `no interface named ${rootName}`);
    const version = this.readVersion(root);
    this.version = version;
    this.readScalars();

    const rootProps = root.properties ?? {};
    const apisSchema = rootProps.apis;
    if (!apisSchema?.properties) fail(`${rootName}.apis`, 'must be an object of API categories');
    const categories = propertyNames(apisSchema).map((name) => this.readCategory(name, apisSchema.properties?.[name]));
    const eventSchema = rootProps.event;
    if (!eventSchema?.$ref) fail(`${rootName}.event`, 'must name the tagged union of events');
    const event = refName(`${rootName}.event`, eventSchema.$ref);

    const apis = categories.flatMap((category) => category.apis);
    this.synthesizeEmptyStructs(apis);
    for (const api of apis) {
      this.require(`API ${api.name}`, api.input);
      this.require(`API ${api.name}`, api.output);
    }
    this.require(`${rootName}.event`, event);
    const eventDecl = this.decls.get(event);
    if (eventDecl?.kind !== 'union' || eventDecl.layout !== 'tagged') fail(`${rootName}.event`, `${event} must be a @tagged union`);

    const reachable = this.checkReachable(apis, event);
    const decls = new Map([...this.decls].filter(([name]) => reachable.has(name)));
    const resolved = this.resolveVersions(decls, apis, event);
    const directions = this.resolveDirections(resolved, apis, event);
    const wire = this.readWire(rootProps.wire);
    return {
      version,
      specVersion,
      decls: new Map([...this.scalars, ...resolved]),
      categories: categories.map((category) => ({
        ...category,
        apis: apis.filter((api) => api.category === category.name),
      })),
      apis,
      event,
      directions,
      wire,
    };
  }

  /** Reads `Protocol.wire`: an interface of named retcodes and one of named HTTP answers. */
  private readWire(schema: RawSchema | undefined): Wire {
    const where = `${rootName}.wire`;
    if (!schema?.$ref) fail(where, 'must name the interface of retcodes and HTTP answers');
    const name = refName(where, schema.$ref);
    const wire = this.defs[name];
    const table = (key: string): [string, string, RawSchema][] => {
      const ref = wire?.properties?.[key]?.$ref;
      if (!ref) fail(`${name}.${key}`, 'must name an interface');
      const tableName = refName(`${name}.${key}`, ref);
      const entries = this.defs[tableName];
      return propertyNames(entries ?? {}).map((entry) => [`${tableName}.${entry}`, entry, entries?.properties?.[entry] ?? {}]);
    };
    const literal = (at: string, entry: RawSchema, key: string, type: 'number' | 'string'): unknown => {
      const value = entry.properties?.[key]?.const;
      if (value !== undefined && typeof value !== type) fail(`${at}.${key}`, `must be a ${type} literal, got ${JSON.stringify(value)}`);
      return value;
    };
    const kindOf = (at: string, entry: RawSchema): Provenance => {
      const kind = literal(at, entry, 'kind', 'string');
      if (kind !== 'P' && kind !== 'C')
        fail(`${at}.kind`, `must be 'P' (the protocol states it) or 'C' (a choice of this toolkit), got ${JSON.stringify(kind)}`);
      return kind;
    };
    const retcodes = table('retcodes').map(([at, entryName, entry]): Retcode => {
      const code = literal(at, entry, 'code', 'number');
      if (typeof code !== 'number' || !Number.isInteger(code) || code === 0)
        fail(`${at}.code`, `must be a non-zero integer literal, got ${JSON.stringify(code)}`);
      return { name: entryName, code, kind: kindOf(at, entry), description: readDescription(at, entry) };
    });
    const answers = table('answers').map(([at, entryName, entry]): HttpAnswer => {
      const status = literal(at, entry, 'status', 'number');
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 300 || status > 599) {
        fail(`${at}.status`, `must be an HTTP status from 300 to 599, got ${JSON.stringify(status)}`);
      }
      const allow = literal(at, entry, 'allow', 'string') as string | undefined;
      const event = entry.properties?.event?.const;
      if (event !== undefined && event !== true) fail(`${at}.event`, `must be true or left out, got ${JSON.stringify(event)}`);
      return { name: entryName, status, kind: kindOf(at, entry), description: readDescription(at, entry), allow, event: event === true };
    });
    const envelopeRef = wire?.properties?.envelope?.$ref;
    if (!envelopeRef) fail(`${name}.envelope`, "must name the interface of the envelope's shapes");
    const envelope = this.readEnvelope(refName(`${name}.envelope`, envelopeRef));
    for (const [label, values] of [
      ['retcode', retcodes.map((retcode) => retcode.code)],
      ['HTTP status', answers.map((answer) => answer.status)],
    ] as const) {
      const repeated = values.find((value, index) => values.indexOf(value) !== index);
      if (repeated !== undefined) fail(name, `two entries have the ${label} ${repeated}`);
    }
    return { envelope, retcodes, answers };
  }

  /**
   * Reads the envelope: an interface with `@discriminator <field>` whose properties name its shapes,
   * each an interface of required fields whose discriminator is the literal of the property's name.
   */
  private readEnvelope(name: string): Envelope {
    const schema = this.defs[name];
    if (!schema?.properties) fail(name, 'must be an interface whose properties are the shapes of the envelope');
    const discriminator = readTag(name, schema, 'discriminator');
    if (!discriminator) fail(name, 'needs @discriminator <field>: the field that tells its shapes apart');
    const shapes = propertyNames(schema).map((tag): EnvelopeShape => {
      const ref = schema.properties?.[tag]?.$ref;
      if (!ref) fail(`${name}.${tag}`, 'must name the interface of a shape');
      const shapeName = refName(`${name}.${tag}`, ref);
      const shape = this.defs[shapeName];
      if (shape?.type !== 'object') fail(shapeName, 'must be an interface');
      const required = new Set(shape.required ?? []);
      const fields = propertyNames(shape).map((field): EnvelopeField => {
        const where = `${shapeName}.${field}`;
        const property = shape.properties?.[field] ?? {};
        if (!required.has(field)) fail(where, 'the fields of an envelope are required');
        return { name: field, description: readDescription(where, property), type: this.readEnvelopeType(where, property) };
      });
      const tagField = fields.find((field) => field.name === discriminator);
      if (tagField?.type.kind !== 'literal' || tagField.type.value !== tag) {
        fail(shapeName, `needs the field \`${discriminator}: '${tag}'\` (the shape ${name}.${tag} is selected by it)`);
      }
      const subject = shape.subject ?? `${discriminator} ${JSON.stringify(tag)}`;
      if (typeof subject !== 'string' || subject === '') fail(shapeName, '@subject needs a phrase, such as `a failure`');
      return { name: shapeName, tag, description: readDescription(shapeName, shape), subject, fields };
    });
    if (shapes.length === 0) fail(name, 'an envelope needs at least one shape');
    return { name, description: readDescription(name, schema), discriminator, shapes };
  }

  private readEnvelopeType(where: string, schema: RawSchema): EnvelopeField['type'] {
    const nonZero = readFlag(where, 'nonZero', schema.nonZero);
    if (nonZero && schema.type !== 'integer') fail(where, '@nonZero goes on integer fields only');
    if (typeof schema.const === 'string' || typeof schema.const === 'number') return { kind: 'literal', value: schema.const };
    if (schema.type === 'integer') return { kind: 'integer', nonZero };
    if (schema.type === 'string') return { kind: 'string' };
    if (schema.type === 'object' && Object.keys(schema.properties ?? {}).length === 0) return { kind: 'object' };
    fail(
      where,
      `an envelope's field is a literal, an integer (\`@TJS-type integer\`), a string or \`object\`, got ${JSON.stringify(schema)}`,
    );
  }

  /** Reads a `@since` tag, which may not name a version newer than the spec's own. */
  private readSince(where: string, value: unknown): Version | undefined {
    const since = readSince(where, value);
    if (since && compareVersions(since, this.version) > 0) {
      fail(where, `@since ${since} is newer than the spec's own version ${this.version} (${rootName}.version)`);
    }
    return since;
  }

  private readVersion(root: RawSchema): Version {
    const version = root.properties?.version?.const;
    if (typeof version !== 'string' || !isVersion(version)) {
      fail(`${rootName}.version`, `must be a string literal such as '1.2', got ${JSON.stringify(version)}`);
    }
    return version;
  }

  private readScalars(): void {
    for (const [name, schema] of Object.entries(this.defs)) {
      if (schema.type !== 'integer') continue;
      const { minimum, maximum } = schema;
      if (typeof minimum !== 'number' || typeof maximum !== 'number' || minimum > maximum) {
        fail(name, 'an integer scalar needs @minimum and @maximum');
      }
      if (!Number.isSafeInteger(minimum) || !Number.isSafeInteger(maximum)) {
        fail(name, 'the bounds of an integer scalar must be safe integers (at most 2^53-1)');
      }
      this.scalars.set(name, { kind: 'scalar', name, description: readDescription(name, schema), minimum, maximum });
    }
  }

  private readCategory(name: string, schema: RawSchema | undefined): Category {
    const where = `${rootName}.apis.${name}`;
    if (!schema?.$ref) fail(where, 'must name an interface of APIs');
    const categoryName = refName(where, schema.$ref);
    const category = this.defs[categoryName];
    if (!category?.properties) fail(categoryName, 'must be an interface whose properties are APIs');
    const apis = propertyNames(category).map((api): Api => {
      const apiWhere = `${categoryName}.${api}`;
      const apiSchema = category.properties?.[api];
      if (!apiSchema) fail(apiWhere, 'is missing');
      if (!/^[a-z][a-z0-9_]*$/.test(api)) fail(apiWhere, 'API names are snake_case');
      const allowed = new Set(['input', 'output']);
      for (const key of propertyNames(apiSchema)) {
        if (!allowed.has(key)) fail(apiWhere, `unexpected property ${key}; an API has only input and output`);
      }
      const part = (key: 'input' | 'output'): string => {
        const ref = apiSchema.properties?.[key]?.$ref;
        if (apiSchema.properties?.[key] && !ref) fail(`${apiWhere}.${key}`, 'must name an interface');
        return ref ? refName(`${apiWhere}.${key}`, ref) : `${pascalCase(api)}${key === 'input' ? 'Input' : 'Output'}`;
      };
      return {
        name: api,
        category: name,
        description: readDescription(apiWhere, apiSchema),
        since: this.readSince(apiWhere, apiSchema.since) ?? firstVersion,
        readOnly: readFlag(apiWhere, 'readOnly', apiSchema.readOnly),
        input: part('input'),
        output: part('output'),
      };
    });
    return { name, description: readDescription(where, schema), apis };
  }

  /** Gives each API without `input` or `output` an empty struct of its own. */
  private synthesizeEmptyStructs(apis: readonly Api[]): void {
    for (const api of apis) {
      for (const [name, role] of [
        [api.input, 'Parameters'],
        [api.output, 'Result'],
      ] as const) {
        if (this.defs[name]) continue;
        const description = `${role} of \`${api.name}\`: ${role === 'Parameters' ? 'it takes none, send `{}`' : 'it returns none, `data` is `{}`'}.`;
        this.synthesized.set(name, { kind: 'struct', name, description, since: api.since, fields: [] });
        this.statedSince.set(name, api.since);
      }
    }
  }

  /** Reads a declaration and, recursively, everything it refers to. */
  private require(from: string, name: string): void {
    if (this.decls.has(name) || this.scalars.has(name)) return;
    const schema = this.defs[name];
    const synthesized = this.synthesized.get(name);
    if (!schema && !synthesized) fail(from, `refers to ${name}, which the spec does not declare`);
    const decl = synthesized ?? this.readDecl(name, schema as RawSchema);
    this.decls.set(name, decl);
    for (const dependency of dependenciesOf(decl)) this.require(name, dependency);
  }

  private readDecl(name: string, schema: RawSchema): Decl {
    const since = this.readSince(name, schema.since);
    if (since) this.statedSince.set(name, since);
    const description = readDescription(name, schema);
    const tagged = readTag(name, schema, 'tagged');
    const discriminator = readTag(name, schema, 'discriminator');
    const extensible = schema.extensible !== undefined;
    if (tagged && discriminator) fail(name, '@tagged and @discriminator exclude each other');
    if (tagged) return this.readTaggedUnion(name, schema, description, tagged, extensible);
    if (discriminator) return this.readInlineUnion(name, schema, description, discriminator, extensible);
    if (extensible) fail(name, '@extensible applies to unions only');
    if (schema.envelope !== undefined) fail(name, '@envelope applies to @tagged unions only');
    if (schema.anyOf) fail(name, 'a union needs @discriminator <property> (or be a @tagged interface)');
    if (schema.type !== 'object') fail(name, `expected an interface, got ${JSON.stringify(schema.type)}`);
    return { kind: 'struct', name, description, since: firstVersion, fields: this.readFields(name, schema) };
  }

  private readFields(owner: string, schema: RawSchema): Field[] {
    const required = new Set(schema.required ?? []);
    return propertyNames(schema).map((name) => {
      const where = `${owner}.${name}`;
      const property = schema.properties?.[name];
      if (!property) fail(where, 'is missing');
      return this.readField(where, name, property, !required.has(name));
    });
  }

  private readField(where: string, name: string, schema: RawSchema, optional: boolean): Field {
    const { fieldMinimum, fieldMaximum, ...rest } = schema;
    const bounded = fieldMinimum !== undefined || fieldMaximum !== undefined;
    // The bounds of a field are read from its declaration; the copies typescript-json-schema leaves beside them go.
    const { minimum: _minimum, maximum: _maximum, ...unbounded } = rest;
    const read = this.readNullable(where, bounded ? unbounded : rest);
    const nullable = read.nullable;
    const type = bounded ? narrow(where, read.type, fieldMinimum, fieldMaximum) : read.type;
    const fallback = schema.default;
    if (fallback !== undefined && !optional) fail(where, 'a field with @default must be optional (`?:`)');
    if (fallback !== undefined) this.checkDefault(where, type, fallback);
    return {
      name,
      description: readDescription(where, schema),
      type,
      optional,
      nullable,
      default: fallback as JsonValue | undefined,
      since: this.readSince(where, schema.since) ?? firstVersion,
    };
  }

  private checkDefault(where: string, type: TypeNode, value: unknown): void {
    const ok =
      (type.kind === 'boolean' && typeof value === 'boolean') ||
      (type.kind === 'string' && typeof value === 'string') ||
      (type.kind === 'integer' && Number.isInteger(value) && (value as number) >= type.minimum && (value as number) <= type.maximum) ||
      (type.kind === 'enum' && type.values.includes(value as string)) ||
      (type.kind === 'literal' && type.value === value);
    if (!ok) fail(where, `@default ${JSON.stringify(value)} does not fit the field's type`);
  }

  /** Splits `T | null` into T and a nullable flag. */
  private readNullable(where: string, schema: RawSchema): { type: TypeNode; nullable: boolean } {
    if (Array.isArray(schema.type) && schema.type.includes('null')) {
      const rest = schema.type.filter((type) => type !== 'null');
      if (rest.length !== 1) fail(where, `unsupported union of ${schema.type.join(', ')}`);
      return { type: this.readType(where, { ...schema, type: rest[0] }), nullable: true };
    }
    if (schema.anyOf) {
      const rest = schema.anyOf.filter((member) => member.type !== 'null');
      if (rest.length !== 1 || rest.length === schema.anyOf.length) {
        fail(where, 'unions of field types are not supported (only `T | null`); declare a union type');
      }
      return { type: this.readType(where, rest[0] as RawSchema), nullable: true };
    }
    return { type: this.readType(where, schema), nullable: false };
  }

  private readType(where: string, schema: RawSchema): TypeNode {
    if (schema.$ref) {
      const name = refName(where, schema.$ref);
      const scalar = this.scalars.get(name);
      if (scalar) return { kind: 'integer', minimum: scalar.minimum, maximum: scalar.maximum, scalar: name };
      return { kind: 'ref', name };
    }
    switch (schema.type) {
      case 'string':
        if (schema.const !== undefined) return { kind: 'literal', value: String(schema.const) };
        if (schema.enum) {
          if (!schema.enum.every((value) => typeof value === 'string')) fail(where, 'enums hold strings only');
          return { kind: 'enum', values: schema.enum as string[] };
        }
        return { kind: 'string' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'integer': {
        // `Int64 | null` reaches here inlined: find the scalar with the same bounds.
        const scalar = [...this.scalars.values()].find((s) => s.minimum === schema.minimum && s.maximum === schema.maximum);
        if (!scalar) fail(where, 'integers must use a named scalar (Uin, Int64, ...)');
        return { kind: 'integer', minimum: scalar.minimum, maximum: scalar.maximum, scalar: scalar.name };
      }
      case 'number':
        fail(where, 'plain numbers are not allowed; use a named integer scalar (Uin, Int64, ...)');
        break;
      case 'array':
        if (!schema.items) fail(where, 'an array needs an item type');
        return { kind: 'array', items: this.readType(`${where}[]`, schema.items) };
      case 'object':
        fail(where, 'inline object types are not allowed; declare an interface and refer to it');
        break;
    }
    fail(where, `unsupported type ${JSON.stringify(schema.type ?? schema)}`);
  }

  private readTaggedUnion(name: string, schema: RawSchema, description: string, discriminator: string, extensible: boolean): UnionDecl {
    const envelopeName = readTag(name, schema, 'envelope');
    let envelope: Field[] = [];
    if (envelopeName) {
      const envelopeSchema = this.defs[envelopeName];
      if (envelopeSchema?.type !== 'object') fail(name, `@envelope ${envelopeName} must name an interface`);
      envelope = this.readFields(envelopeName, envelopeSchema);
      for (const field of envelope) {
        if (field.name === discriminator || field.name === 'data') fail(`${envelopeName}.${field.name}`, 'clashes with the tag or `data`');
        if (field.type.kind === 'ref') fail(`${envelopeName}.${field.name}`, 'envelope fields must be scalars');
      }
    }
    const variants = propertyNames(schema).map((tag): Variant => {
      const where = `${name}.${tag}`;
      const property = schema.properties?.[tag];
      if (!property?.$ref) fail(where, 'each variant must name the interface or union of its payload');
      return {
        tag,
        description: readDescription(where, property),
        since: this.readSince(where, property.since) ?? firstVersion,
        type: refName(where, property.$ref),
      };
    });
    if (variants.length === 0) fail(name, 'a union needs at least one variant');
    return { kind: 'union', name, description, since: firstVersion, discriminator, layout: 'tagged', envelope, extensible, variants };
  }

  private readInlineUnion(name: string, schema: RawSchema, description: string, discriminator: string, extensible: boolean): UnionDecl {
    if (!schema.anyOf) fail(name, '@discriminator applies to union types (`A | B`)');
    const variants = schema.anyOf.map((member): Variant => {
      if (!member.$ref) fail(name, 'each member of a union must be a declared interface');
      const type = refName(name, member.$ref);
      const variantSchema = this.defs[type];
      const tag = variantSchema?.properties?.[discriminator]?.const;
      if (typeof tag !== 'string' || !variantSchema?.required?.includes(discriminator)) {
        fail(type, `needs a required string literal field \`${discriminator}\` (the union ${name} is told apart by it)`);
      }
      return {
        tag,
        description: readDescription(type, variantSchema),
        since: this.readSince(type, variantSchema.since) ?? firstVersion,
        type,
      };
    });
    return { kind: 'union', name, description, since: firstVersion, discriminator, layout: 'inline', envelope: [], extensible, variants };
  }

  /** Checks tags are unique, and that every declaration in the spec is used. */
  private checkReachable(apis: readonly Api[], event: string): Set<string> {
    for (const decl of this.decls.values()) {
      if (decl.kind !== 'union') continue;
      const seen = new Set<string>();
      for (const variant of decl.variants) {
        if (seen.has(variant.tag)) fail(decl.name, `two variants are tagged ${JSON.stringify(variant.tag)}`);
        seen.add(variant.tag);
      }
    }
    const reachable = new Set<string>();
    const visit = (name: string): void => {
      if (reachable.has(name)) return;
      reachable.add(name);
      const decl = this.decls.get(name);
      if (decl) for (const dependency of dependenciesOf(decl)) visit(dependency);
    };
    for (const api of apis) {
      visit(api.input);
      visit(api.output);
    }
    visit(event);
    const envelopes = new Set(Object.values(this.defs).map((schema) => schema.envelope));
    const categories = new Set(Object.values(this.defs[rootName]?.properties?.apis?.properties ?? {}).map((schema) => schema.$ref));
    const wire = this.defs[rootName]?.properties?.wire?.$ref;
    const wireDef = wire ? this.defs[wire.slice(refPrefix.length)] : undefined;
    const wireRefs = new Set([wire, ...Object.values(wireDef?.properties ?? {}).map((schema) => schema.$ref)]);
    const envelopeRef = wireDef?.properties?.envelope?.$ref;
    const envelopeDef = envelopeRef ? this.defs[envelopeRef.slice(refPrefix.length)] : undefined;
    for (const shape of Object.values(envelopeDef?.properties ?? {})) wireRefs.add(shape.$ref);
    for (const name of Object.keys(this.defs)) {
      const used =
        reachable.has(name) ||
        this.scalars.has(name) ||
        name === rootName ||
        envelopes.has(name) ||
        categories.has(`${refPrefix}${name}`) ||
        wireRefs.has(`${refPrefix}${name}`);
      if (!used) fail(name, 'is declared but no API or event uses it');
    }
    return reachable;
  }

  /**
   * Gives each declaration without a stated version the earliest version of the APIs, events,
   * fields and variants that use it, and each field and variant without one its declaration's.
   */
  private resolveVersions(decls: ReadonlyMap<string, Decl>, apis: readonly Api[], event: string): Map<string, Decl> {
    const earliest = new Map<string, Version>(this.statedSince);
    const queue: Array<[string, Version]> = [];
    const offer = (name: string, version: Version): void => {
      if (this.statedSince.has(name) || this.scalars.has(name)) return;
      const known = earliest.get(name);
      if (known && compareVersions(known, version) <= 0) return;
      earliest.set(name, version);
      queue.push([name, version]);
    };
    for (const api of apis) {
      offer(api.input, api.since);
      offer(api.output, api.since);
    }
    offer(event, firstVersion);
    for (const name of this.statedSince.keys()) queue.push([name, this.statedSince.get(name) as Version]);
    while (queue.length > 0) {
      const [name, version] = queue.shift() as [string, Version];
      if (earliest.get(name) !== version) continue;
      const decl = decls.get(name);
      if (decl?.kind === 'struct') {
        for (const field of decl.fields) {
          const fieldSince = maxVersion(field.since, version);
          for (const ref of refsOf(field.type)) offer(ref, fieldSince);
        }
      } else if (decl?.kind === 'union') {
        for (const variant of decl.variants) offer(variant.type, maxVersion(variant.since, version));
      }
    }
    const resolved = new Map<string, Decl>();
    for (const [name, decl] of decls) {
      const since = earliest.get(name) ?? firstVersion;
      const field = (f: Field): Field => ({ ...f, since: maxVersion(f.since, since) });
      if (decl.kind === 'struct') resolved.set(name, { ...decl, since, fields: decl.fields.map(field) });
      else if (decl.kind === 'union') {
        resolved.set(name, {
          ...decl,
          since,
          envelope: decl.envelope.map(field),
          variants: decl.variants.map((variant) => ({ ...variant, since: maxVersion(variant.since, since) })),
        });
      } else resolved.set(name, decl);
    }
    return resolved;
  }

  private resolveDirections(decls: ReadonlyMap<string, Decl>, apis: readonly Api[], event: string): Map<string, Direction> {
    const directions = new Map<string, Direction>();
    const paths = new Map<string, string>();
    const visit = (name: string, direction: Direction, path: string): void => {
      const decl = decls.get(name);
      if (!decl || decl.kind === 'scalar') return;
      const known = directions.get(name);
      if (known === direction) return;
      if (known) {
        fail(name, `is sent by both sides (${paths.get(name)} and ${path}); declare separate incoming and outgoing types`);
      }
      directions.set(name, direction);
      paths.set(name, path);
      for (const dependency of dependenciesOf(decl)) visit(dependency, direction, path);
    };
    for (const api of apis) visit(api.input, 'input', `the input of ${api.name}`);
    for (const api of apis) visit(api.output, 'output', `the output of ${api.name}`);
    visit(event, 'output', 'events');
    return directions;
  }
}

function maxVersion(a: Version, b: Version): Version {
  return minVersion(a, b) === a ? b : a;
}

/** Builds the model from the raw schema of the spec. */
export function buildModel(raw: RawSpec, specVersion: string): Model {
  return new ModelBuilder(raw).build(specVersion);
}
