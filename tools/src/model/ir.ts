// The typed model of the protocol that every emitter reads.
//
// The reader (read-spec.ts) turns the JSON Schema that typescript-json-schema makes of spec/
// into this model; build.ts checks it and derives what the spec leaves implicit (versions,
// which side sends each type). Emitters never look at the raw schema.

/** A protocol version, `major.minor`, such as `"1.2"`. */
export type Version = `${number}.${number}`;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The type of a field or array item. */
export type TypeNode =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | {
      readonly kind: 'integer';
      readonly minimum: number;
      readonly maximum: number;
      /** The named scalar (spec/src/scalars.ts) the integer was declared with. */
      readonly scalar: string;
      /** The field narrows the scalar's bounds with its own `@minimum`/`@maximum`. */
      readonly narrowed?: true;
    }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly items: TypeNode }
  | { readonly kind: 'ref'; readonly name: string };

export interface Field {
  readonly name: string;
  readonly description: string;
  readonly type: TypeNode;
  /** The field may be left out. */
  readonly optional: boolean;
  /** The field may be `null` (on input, `null` means the same as leaving it out). */
  readonly nullable: boolean;
  /** The value an omitted (or `null`) field takes; only on optional fields. */
  readonly default: JsonValue | undefined;
  readonly since: Version;
}

/** A named integer type with bounds, such as `Uin`. */
export interface ScalarDecl {
  readonly kind: 'scalar';
  readonly name: string;
  readonly description: string;
  readonly minimum: number;
  readonly maximum: number;
}

/** An object with a fixed set of fields. */
export interface StructDecl {
  readonly kind: 'struct';
  readonly name: string;
  readonly description: string;
  readonly since: Version;
  readonly fields: readonly Field[];
}

export interface Variant {
  /** Value of the discriminator that selects this variant. */
  readonly tag: string;
  readonly description: string;
  readonly since: Version;
  /**
   * For a `tagged` union, the declaration of the payload under `data`;
   * for an `inline` union, the struct that carries the discriminator itself.
   */
  readonly type: string;
}

/** A union of objects told apart by the string value of one property. */
export interface UnionDecl {
  readonly kind: 'union';
  readonly name: string;
  readonly description: string;
  readonly since: Version;
  /** The property whose value selects the variant. */
  readonly discriminator: string;
  /**
   * `tagged`: each variant is `{ <discriminator>: tag, data: payload, ...envelope }`;
   * `inline`: each variant is a struct whose own discriminator field is a literal.
   */
  readonly layout: 'tagged' | 'inline';
  /** Fields every variant of a tagged union carries besides the tag and `data`. */
  readonly envelope: readonly Field[];
  /** Receivers must accept variants they do not know (forward compatibility). */
  readonly extensible: boolean;
  readonly variants: readonly Variant[];
}

export type Decl = ScalarDecl | StructDecl | UnionDecl;

/** Which side sends values of a declaration: the app (`input`) or the protocol side (`output`). */
export type Direction = 'input' | 'output';

export interface Api {
  /** Endpoint name: the API is called as `POST /api/<name>`. */
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly since: Version;
  /** The API only reads: calling it again changes nothing, so a failed call may be retried. */
  readonly readOnly: boolean;
  /** Struct of the request body; APIs without parameters get an empty struct. */
  readonly input: string;
  /** Struct of `data` in a successful response; APIs without results get an empty struct. */
  readonly output: string;
}

export interface Category {
  readonly name: string;
  readonly description: string;
  readonly apis: readonly Api[];
}

/** Whether the protocol states a rule (`P`) or this toolkit chose it where the protocol leaves it open (`C`). */
export type Provenance = 'P' | 'C';

/** A named non-zero retcode of `status: "failed"`. */
export interface Retcode {
  readonly name: string;
  readonly code: number;
  readonly kind: Provenance;
  readonly description: string;
}

/** An HTTP answer other than 200, such as 401. */
export interface HttpAnswer {
  /** Its name, such as `Unauthorized`. */
  readonly name: string;
  readonly status: number;
  readonly kind: Provenance;
  readonly description: string;
  /** The methods named in `Allow`, when the answer carries that header. */
  readonly allow: string | undefined;
  /** Given on `GET /event` too, not only on the APIs. */
  readonly event: boolean;
}

/** The type of a field of an envelope's shape. */
export type EnvelopeFieldType =
  /** A value the shape always has, such as `status: "ok"` or `retcode: 0`. */
  | { readonly kind: 'literal'; readonly value: string | number }
  /** An integer; `nonZero` when it is never 0. */
  | { readonly kind: 'integer'; readonly nonZero: boolean }
  | { readonly kind: 'string' }
  /** A JSON object, such as the API's result in `data`. */
  | { readonly kind: 'object' };

export interface EnvelopeField {
  readonly name: string;
  readonly description: string;
  readonly type: EnvelopeFieldType;
}

/** One shape of the envelope, such as the success. */
export interface EnvelopeShape {
  /** The declaration's name, such as `ApiSuccess`. */
  readonly name: string;
  /** The value of the discriminator that selects it, such as `ok`. */
  readonly tag: string;
  readonly description: string;
  /** How a reader's problems name it: `status "ok"` unless the spec says (`@subject a failure`). */
  readonly subject: string;
  /** Its fields, the discriminator first. */
  readonly fields: readonly EnvelopeField[];
}

/** The body of every HTTP 200 answer of an API: shapes told apart by one field. */
export interface Envelope {
  /** The declaration's name, such as `ApiResponse`. */
  readonly name: string;
  readonly description: string;
  /** The field whose value selects the shape, such as `status`. */
  readonly discriminator: string;
  readonly shapes: readonly EnvelopeShape[];
}

/** The envelope, retcodes and HTTP answers every API shares. */
export interface Wire {
  readonly envelope: Envelope;
  readonly retcodes: readonly Retcode[];
  readonly answers: readonly HttpAnswer[];
}

export interface Model {
  /** Protocol version, such as `"1.2"`. */
  readonly version: Version;
  /** Version of the spec package, such as `"1.2.2"`. */
  readonly specVersion: string;
  /** Every declaration, in spec order. */
  readonly decls: ReadonlyMap<string, Decl>;
  readonly categories: readonly Category[];
  /** Every API, category by category. */
  readonly apis: readonly Api[];
  /** Name of the tagged union of events. */
  readonly event: string;
  /** Which side sends each struct and union. */
  readonly directions: ReadonlyMap<string, Direction>;
  /** The envelope, retcodes and HTTP answers every API shares. */
  readonly wire: Wire;
}

const versionPattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function isVersion(value: string): value is Version {
  return versionPattern.test(value);
}

/** Orders versions numerically: `1.2` < `1.10`. */
export function compareVersions(a: Version, b: Version): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export function minVersion(a: Version, b: Version): Version {
  return compareVersions(a, b) <= 0 ? a : b;
}

/** Declarations a type node refers to by name. */
export function refsOf(type: TypeNode): string[] {
  if (type.kind === 'ref') return [type.name];
  if (type.kind === 'array') return refsOf(type.items);
  return [];
}

/** Declarations a declaration refers to by name, in order, without repeats. */
export function dependenciesOf(decl: Decl): string[] {
  const names =
    decl.kind === 'struct'
      ? decl.fields.flatMap((field) => refsOf(field.type))
      : decl.kind === 'union'
        ? [...decl.envelope.flatMap((field) => refsOf(field.type)), ...decl.variants.map((variant) => variant.type)]
        : [];
  return [...new Set(names)];
}

/**
 * A declaration and every declaration it refers to, directly or through others: what a schema of
 * it must carry for its references to resolve. The declaration comes first, the rest in spec order.
 */
export function closureOf(model: Model, name: string): string[] {
  const needed = new Set([name]);
  for (const current of needed) for (const dependency of dependenciesOf(getDecl(model, current))) needed.add(dependency);
  return [name, ...[...model.decls.keys()].filter((other) => other !== name && needed.has(other))];
}

export function getDecl(model: Model, name: string): Decl {
  const decl = model.decls.get(name);
  if (!decl) throw new Error(`no declaration named ${name}`);
  return decl;
}

export function getStruct(model: Model, name: string): StructDecl {
  const decl = getDecl(model, name);
  if (decl.kind !== 'struct') throw new Error(`${name} is a ${decl.kind}, not a struct`);
  return decl;
}

export function getUnion(model: Model, name: string): UnionDecl {
  const decl = getDecl(model, name);
  if (decl.kind !== 'union') throw new Error(`${name} is a ${decl.kind}, not a union`);
  return decl;
}
