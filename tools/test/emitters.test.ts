// Table-driven tests of the emitters: a small spec fragment in, the expected output out.

import { describe, expect, test } from 'vitest';
import { envelopeEmitter } from '../src/emit/envelope.ts';
import { jsonSchemaEmitter } from '../src/emit/json-schema.ts';
import { openapiEmitter } from '../src/emit/openapi.ts';
import { registryEmitter } from '../src/emit/registry.ts';
import { typeboxEmitter } from '../src/emit/typebox.ts';
import { typesEmitter } from '../src/emit/types.ts';
import { block, emitted, type Fragment, modelOf } from './helpers.ts';

/** An envelope of one shape with a string literal and a plain integer, to show the reader's other checks. */
const doneEnvelope = `/**
 * Answer.
 * @discriminator kind
 */
export interface ApiResponse {
  /** Done. */
  done: Done;
}
/** Done. */
export interface Done {
  /** Shape. */
  kind: 'done';
  /** Version. */
  version: 'v2';
  /**
   * Count.
   * @TJS-type integer
   */
  count: number;
}`;

const findApi = `  /**
   * Finds.
   * @since 1.1
   * @readOnly
   */
  find: { input: FindInput; output: FindOutput };`;

const findDecls = `
/** Parameters of \`find\`. */
export interface FindInput {
  /** Who. */
  user_id: Uin;
  /**
   * Skip the cache.
   * @default false
   */
  no_cache?: boolean | null;
  /** Kind. */
  kind: 'b' | 'a';
}
/** Result of \`find\`. */
export interface FindOutput {
  /** Names. */
  names: string[];
  /**
   * Since when.
   * @since 1.2
   */
  since?: Int64 | null;
}`;

const pageApi = '  /** Pages. */\n  page: { input: PageInput };';

const pageDecls = `
/** Parameters of \`page\`. */
export interface PageInput {
  /**
   * Which page.
   * @minimum 1
   */
  page: Int64;
  /**
   * How many on it.
   * @minimum 1
   * @maximum 30
   * @default 20
   */
  size?: Int64 | null;
}`;

const segmentDecls = `
/** Text payload. */
export interface TextData {
  /** The text. */
  text: string;
}
/** Face payload. */
export interface FaceData {
  /** Which face. */
  face_id: string;
  /**
   * Large or not.
   * @default false
   */
  is_large?: boolean | null;
}
/**
 * A segment sent.
 * @tagged type
 */
export interface Segment {
  /** Text. */
  text: TextData;
  /**
   * A face.
   * @since 1.2
   */
  face: FaceData;
}
/** Parameters of \`say\`. */
export interface SayInput {
  /** What to say. */
  message: Segment[];
}`;

const notificationDecls = `
/**
 * A notification.
 * @discriminator kind
 * @extensible
 */
export type Note = KickNote | QuitNote;
/** Someone was kicked. */
export interface KickNote {
  /** Tag. */
  kind: 'kick';
  /** Who. */
  user_id: Uin;
}
/** Someone quit. */
export interface QuitNote {
  /** Tag. */
  kind: 'quit';
}
/** Result of \`notes\`. */
export interface NotesOutput {
  /** The notes. */
  notes: Note[];
}`;

interface Case {
  readonly name: string;
  readonly fragment: Fragment;
  readonly emitter: typeof typesEmitter;
  readonly file: string;
  readonly anchor: string;
  readonly expected: string;
}

const cases: Case[] = [
  {
    name: 'a struct becomes an interface with TSDoc, `@since` where a field is newer than its struct',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface FindOutput ',
    expected: `/**
 * Result of \`find\`.
 * @since 1.1
 */
export interface FindOutput {
  /**
   * Names.
   */
  names: string[];
  /**
   * Since when.
   * @since 1.2
   */
  since?: Int64 | null;
}`,
  },
  {
    name: 'a defaulted field is optional and nullable on the wire, documented with its default',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface FindInput ',
    expected: `/**
 * Parameters of \`find\`.
 * @since 1.1
 */
export interface FindInput {
  /**
   * Who.
   */
  user_id: Uin;
  /**
   * Skip the cache.
   * @defaultValue \`false\`
   */
  no_cache?: boolean | null;
  /**
   * Kind.
   */
  kind: 'a' | 'b';
}`,
  },
  {
    name: 'the resolved form has defaulted fields present and never null',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface FindInputResolved ',
    expected: `/**
 * {@link FindInput} with its defaults applied.
 */
export interface FindInputResolved {
  /**
   * Who.
   */
  user_id: Uin;
  /**
   * Skip the cache.
   * @defaultValue \`false\`
   */
  no_cache: boolean;
  /**
   * Kind.
   */
  kind: 'a' | 'b';
}`,
  },
  {
    name: 'ApiMap lists category, input, resolved input and output',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface ApiMap ',
    expected: `/**
 * Every API of the protocol, by name (\`POST /api/<name>\`): its category, whether it only reads,
 * the parameters an app sends (\`input\`), what a handler receives once defaults are applied
 * (\`resolvedInput\`), and \`data\` of a successful response (\`output\`).
 */
export interface ApiMap {
  /**
   * Finds.
   * @category system
   * @since 1.1
   * @readOnly
   */
  find: {
    category: 'system';
    readOnly: true;
    input: FindInput;
    resolvedInput: FindInputResolved;
    output: FindOutput;
  };
}`,
  },
  {
    name: 'a field with its own bounds states them in its TSDoc, typed as its scalar',
    fragment: { decls: pageDecls, apis: pageApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface PageInput ',
    expected: `/**
 * Parameters of \`page\`.
 */
export interface PageInput {
  /**
   * Which page.
   * From 1 to 9007199254740991.
   */
  page: Int64;
  /**
   * How many on it.
   * From 1 to 30.
   * @defaultValue \`20\`
   */
  size?: Int64 | null;
}`,
  },
  {
    name: 'an API without input or output gets empty structs',
    fragment: { decls: '', apis: '  /** Ping. */\n  ping: {};' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export type PingInput ',
    expected: `/**
 * Parameters of \`ping\`: it takes none, send \`{}\`.
 */
export type PingInput = Record<string, never>;`,
  },
  {
    name: 'a tagged union becomes a data map and a union mapped from it',
    fragment: { decls: segmentDecls, apis: '  /** Say. */\n  say: { input: SayInput };' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export type Segment ',
    expected: `/**
 * A segment sent.
 */
export type Segment = {
  [K in keyof SegmentDataMap]: {
    /**
     * Which variant this is.
     */
    type: K;
    /**
     * Payload of the variant.
     */
    data: SegmentDataMap[K];
  };
}[keyof SegmentDataMap];`,
  },
  {
    name: 'the data map documents each variant and its version',
    fragment: { decls: segmentDecls, apis: '  /** Say. */\n  say: { input: SayInput };' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface SegmentDataMap ',
    expected: `/**
 * Payload types of {@link Segment}, by \`type\`.
 */
export interface SegmentDataMap {
  /**
   * Text.
   */
  text: TextData;
  /**
   * A face.
   * @since 1.2
   */
  face: FaceData;
}`,
  },
  {
    name: 'defaults inside a union give the union and its container resolved forms',
    fragment: { decls: segmentDecls, apis: '  /** Say. */\n  say: { input: SayInput };' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface SayInputResolved ',
    expected: `/**
 * {@link SayInput} with its defaults applied.
 */
export interface SayInputResolved {
  /**
   * What to say.
   */
  message: SegmentResolved[];
}`,
  },
  {
    name: 'an inline union is a union of its variants',
    fragment: { decls: notificationDecls, apis: '  /** Notes. */\n  notes: { output: NotesOutput };' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export type Note ',
    expected: `/**
 * A notification.
 */
export type Note = KickNote | QuitNote;`,
  },
  {
    name: 'an extensible union gets an unknown-variant type of its own',
    fragment: { decls: notificationDecls, apis: '  /** Notes. */\n  notes: { output: NotesOutput };' },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export interface UnknownNote ',
    expected: `/**
 * A variant of {@link Note} that this version of the protocol does not define, as a lenient
 * receiver keeps it. It is not part of the union, so that switching on the tag narrows; tell it apart
 * with the registry of the union.
 */
export interface UnknownNote {
  /**
   * A tag that is not one of {@link Note}'s.
   */
  kind: string;
  [field: string]: unknown;
}`,
  },
  {
    name: "a declaration's schema is exported beside its type, under the same name",
    fragment: { decls: findDecls, apis: findApi },
    emitter: typesEmitter,
    file: 'src/generated/types.ts',
    anchor: 'export const FindInput ',
    expected: `/**
 * Parameters of \`find\`.
 * @since 1.1
 */
export const FindInput = S.FindInput;`,
  },
  {
    name: 'a TypeBox schema is imported from a module of its own declaration alone, in a call marked pure',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'export const FindInput ',
    expected: `/**
 * Parameters of \`find\`.
 * @since 1.1
 */
export const FindInput = /* @__PURE__ */ importSchema<T.FindInput>('FindInput', { FindInput: defineFindInput });`,
  },
  {
    name: 'a TypeBox object is open on input, nullable fields are unions with null, defaults on the outermost schema',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'const defineFindInput ',
    expected: `const defineFindInput = () => Type.Object({
  user_id: Type.Integer({ minimum: 10001, maximum: 4294967295, description: 'Who.' }),
  no_cache: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: 'Skip the cache.', default: false })),
  kind: Type.Union([Type.Literal('a'), Type.Literal('b')], { description: 'Kind.' })
}, { description: 'Parameters of \`find\`.' });`,
  },
  {
    name: 'a TypeBox output object is closed',
    fragment: { decls: findDecls, apis: findApi },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'const defineFindOutput ',
    expected: `const defineFindOutput = () => Type.Object({
  names: Type.Array(Type.String(), { description: 'Names.' }),
  since: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 9007199254740991 }), Type.Null()], { description: 'Since when.' }))
}, { description: 'Result of \`find\`.', additionalProperties: false });`,
  },
  {
    name: 'TypeBox: a field with its own bounds validates them, nullable or not',
    fragment: { decls: pageDecls, apis: pageApi },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'const definePageInput ',
    expected: `const definePageInput = () => Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 9007199254740991, description: 'Which page.' }),
  size: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 30 }), Type.Null()], { description: 'How many on it.', default: 20 }))
}, { description: 'Parameters of \`page\`.' });`,
  },
  {
    name: 'TypeBox inline unions refer to their variants and carry the union metadata',
    fragment: { decls: notificationDecls, apis: '  /** Notes. */\n  notes: { output: NotesOutput };' },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'const defineNote ',
    expected: `const defineNote = () => Type.Union([
  Type.Ref('KickNote'),
  Type.Ref('QuitNote')
], { description: 'A notification.', 'x-milky-union': { discriminator: 'kind', layout: 'inline', extensible: true, envelope: [] } });`,
  },
  {
    name: 'a TypeBox schema carries the declarations it refers to, through others too, and no other',
    fragment: { decls: `${findDecls}\n${notificationDecls}`, apis: `${findApi}\n  /** Notes. */\n  notes: { output: NotesOutput };` },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'export const NotesOutput ',
    expected: `/**
 * Result of \`notes\`.
 */
export const NotesOutput = /* @__PURE__ */ importSchema<T.NotesOutput>('NotesOutput', { NotesOutput: defineNotesOutput, Note: defineNote, KickNote: defineKickNote, QuitNote: defineQuitNote });`,
  },
  {
    name: 'the TypeBox table of every declaration, by name, made in a call marked pure',
    fragment: { decls: notificationDecls, apis: '  /** Notes. */\n  notes: { output: NotesOutput };' },
    emitter: typeboxEmitter,
    file: 'src/generated/schemas.ts',
    anchor: 'export const definitions',
    expected: `/**
 * Every declaration of the protocol as a TypeBox schema, by name; references between them are \`Type.Ref\`.
 * Use the typed exports below (or the registries) rather than this table.
 */
export const definitions: Record<string, TSchema> = /* @__PURE__ */ definitionTable({
  Uin: defineUin,
  Int64: defineInt64,
  NotesInput: defineNotesInput,
  NotesOutput: defineNotesOutput,
  Note: defineNote,
  KickNote: defineKickNote,
  QuitNote: defineQuitNote,
  Event: defineEvent,
  OfflineEvent: defineOfflineEvent
});`,
  },
  {
    name: 'the API registry names category, version, description and schemas',
    fragment: { decls: findDecls, apis: findApi },
    emitter: registryEmitter,
    file: 'src/generated/registry.ts',
    anchor: 'export const apis ',
    expected: `/**
 * Every API, by name (\`POST /api/<name>\`): its category, the version it appeared in, whether it only
 * reads (so that a failed call may be retried), what it does, and the schemas of its parameters
 * (\`input\`) and of \`data\` in a successful response (\`output\`).
 */
export const apis = {
  find: {
    name: 'find',
    category: 'system',
    since: '1.1',
    readOnly: true,
    description: 'Finds.',
    input: S.FindInput,
    output: S.FindOutput
  }
} as const;`,
  },
  {
    name: 'the versions have a module of their own, which imports nothing',
    fragment: { decls: findDecls, apis: findApi },
    emitter: registryEmitter,
    file: 'src/generated/version.ts',
    anchor: 'export const milkyVersion ',
    expected: `/**
 * Version of the Milky protocol this package describes (\`major.minor\`), as \`get_impl_info\` reports it.
 */
export const milkyVersion = '1.2';`,
  },
  {
    name: 'the registry passes the versions on',
    fragment: { decls: findDecls, apis: findApi },
    emitter: registryEmitter,
    file: 'src/generated/registry.ts',
    anchor: "from './version.ts'",
    expected: "export { milkyVersion, specVersion } from './version.ts';",
  },
  {
    name: 'every union gets a registry by tag',
    fragment: { decls: segmentDecls, apis: '  /** Say. */\n  say: { input: SayInput };' },
    emitter: registryEmitter,
    file: 'src/generated/registry.ts',
    anchor: 'export const segments ',
    expected: `/**
 * The variants of {@link S.Segment}, by \`type\`: the version each appeared in, what it
 * means, and the schema of its payload (\`data\`).
 */
export const segments = {
  text: {
    tag: 'text',
    since: '1.0',
    description: 'Text.',
    data: S.TextData
  },
  face: {
    tag: 'face',
    since: '1.2',
    description: 'A face.',
    data: S.FaceData
  }
} as const;`,
  },
  {
    name: 'the retcodes the spec names, with the toolkit conventions marked',
    fragment: {
      decls: '',
      wire: {
        retcodes:
          "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };\n  /** Broke. */\n  internalError: { code: -500; kind: 'C' };",
        answers: "  /** No such API. */\n  NotFound: { status: 404; kind: 'P' };",
      },
    },
    emitter: registryEmitter,
    file: 'src/generated/registry.ts',
    anchor: 'export const retcodes ',
    expected: `/**
 * The retcodes of a failed call, by name; implementations define others for their own failures.
 */
export const retcodes = {
  /**
   * Bad input.
   */
  invalidInput: -400,
  /**
   * Broke. (a convention of this toolkit)
   */
  internalError: -500
} as const;`,
  },
  {
    name: 'the HTTP answers the spec names, with their Allow header and whether /event gives them',
    fragment: {
      decls: '',
      wire: {
        retcodes: "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };",
        answers:
          "  /** No token. */\n  Unauthorized: { status: 401; kind: 'P'; event: true };\n  /** POST only. */\n  MethodNotAllowed: { status: 405; kind: 'C'; allow: 'POST' };",
      },
    },
    emitter: registryEmitter,
    file: 'src/generated/registry.ts',
    anchor: 'export const httpAnswers ',
    expected: `/**
 * The HTTP answers other than 200, by name: the status, the methods named in \`Allow\` when the answer
 * carries that header, and whether \`GET /event\` gives it too.
 */
export const httpAnswers = {
  /**
   * No token.
   */
  Unauthorized: { status: 401, event: true },
  /**
   * POST only. (a choice of this toolkit)
   */
  MethodNotAllowed: { status: 405, allow: 'POST', event: false }
} as const;`,
  },
  {
    name: 'an envelope shape with an object field takes the result type as a parameter',
    fragment: { decls: '' },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'export interface ApiSuccess',
    expected: `/**
 * Success.
 */
export interface ApiSuccess<T> {
  /**
   * Shape.
   */
  readonly status: 'ok';
  /**
   * Zero.
   */
  readonly retcode: 0;
  /**
   * Result.
   */
  readonly data: T;
}`,
  },
  {
    name: 'the envelope is the union of its shapes',
    fragment: { decls: '' },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'export type ApiResponse',
    expected: `/**
 * Envelope.
 */
export type ApiResponse<T> = ApiSuccess<T> | ApiFailure;`,
  },
  {
    name: 'a reading carries what is not a literal; a string may be missing',
    fragment: { decls: '' },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'export type EnvelopeReading',
    expected: `/**
 * What the body of an API's answer reads as: one of the envelope's shapes, or why it is none.
 */
export type EnvelopeReading = {
  readonly status: 'ok';
  readonly data: Record<string, unknown>;
} | {
  readonly status: 'failed';
  readonly retcode: number;
  /**
   * Message. Undefined when the answer has none (which breaks the protocol).
   */
  readonly message: string | undefined;
} | {
  readonly status: 'invalid';
  /**
   * What is wrong, for humans: \`the answer is not JSON: "hello"\`.
   */
  readonly problem: string;
};`,
  },
  {
    name: 'the reader checks each field of the shape its discriminator selects, naming the first that is wrong',
    fragment: { decls: '' },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'export function readEnvelope',
    expected: `/**
 * Reads the body of an API's answer as the protocol's envelope: \`status: "ok"\` or \`status: "failed"\`,
 * each field as the spec declares it. Every package that reads envelopes reads them here, so that
 * all judge them alike.
 */
export function readEnvelope(text: string): EnvelopeReading {
  let body: unknown;
  try {
    body = JSON.parse(text);
  }
  catch {
    return invalid(\`the answer is not JSON: \${shown(text.slice(0, 80))}\`);
  }
  if (!isObject(body))
    return invalid(\`the answer is not a JSON object: \${shown(body)}\`);
  if (body.status === 'ok') {
    if (body.retcode !== 0)
      return invalid(\`status "ok" needs retcode 0, got \${shown(body.retcode)}\`);
    if (!isObject(body.data))
      return invalid(\`data must always be an object, got \${shown(body.data)}\`);
    return {
      status: 'ok',
      data: body.data
    };
  }
  if (body.status === 'failed') {
    if (typeof body.retcode !== 'number' || !Number.isInteger(body.retcode) || body.retcode === 0)
      return invalid(\`a failure needs a non-zero integer retcode, got \${shown(body.retcode)}\`);
    return {
      status: 'failed',
      retcode: body.retcode,
      message: typeof body.message === 'string' ? body.message : undefined
    };
  }
  return invalid(\`status must be "ok" or "failed", got \${shown(body.status)}\`);
}`,
  },
  {
    name: 'another envelope: a string literal, a plain integer, its own discriminator',
    fragment: { decls: '', envelope: doneEnvelope },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'export function readEnvelope',
    expected: `/**
 * Reads the body of an API's answer as the protocol's envelope: \`kind: "done"\`,
 * each field as the spec declares it. Every package that reads envelopes reads them here, so that
 * all judge them alike.
 */
export function readEnvelope(text: string): EnvelopeReading {
  let body: unknown;
  try {
    body = JSON.parse(text);
  }
  catch {
    return invalid(\`the answer is not JSON: \${shown(text.slice(0, 80))}\`);
  }
  if (!isObject(body))
    return invalid(\`the answer is not a JSON object: \${shown(body)}\`);
  if (body.kind === 'done') {
    if (body.version !== 'v2')
      return invalid(\`kind "done" needs version "v2", got \${shown(body.version)}\`);
    if (typeof body.count !== 'number' || !Number.isInteger(body.count))
      return invalid(\`kind "done" needs an integer count, got \${shown(body.count)}\`);
    return {
      kind: 'done',
      count: body.count
    };
  }
  return invalid(\`kind must be "done", got \${shown(body.kind)}\`);
}`,
  },
  {
    name: 'a reading that is no envelope is told apart by the same discriminator',
    fragment: { decls: '', envelope: doneEnvelope },
    emitter: envelopeEmitter,
    file: 'src/generated/envelope.ts',
    anchor: 'const invalid ',
    expected: "const invalid = (problem: string): EnvelopeReading => ({ kind: 'invalid', problem: problem });",
  },
];

describe('emitters', () => {
  test.each(cases)('$name', ({ fragment, emitter, file, anchor, expected }) => {
    expect(block(emitted(emitter, modelOf(fragment), file), anchor)).toBe(expected);
  });

  test('every generated file starts with the shared header naming generator and spec version', () => {
    const model = modelOf({ decls: findDecls, apis: findApi });
    const header =
      'Generated by @milky/generator from @milky/spec 9.9.9 (Milky protocol 1.2). Do not edit: change spec/ and run `pnpm generate`.';
    for (const emitter of [typesEmitter, typeboxEmitter, registryEmitter, envelopeEmitter]) {
      for (const file of emitter.emit(model)) expect(file.content.startsWith(`// ${header}\n`)).toBe(true);
    }
    for (const file of jsonSchemaEmitter.emit(model)) expect(Object.entries(JSON.parse(file.content))[0]).toEqual(['$comment', header]);
    for (const file of openapiEmitter.emit(model)) expect(Object.entries(JSON.parse(file.content))[0]).toEqual(['x-comment', header]);
  });
});

describe('JSON Schema and OpenAPI', () => {
  const model = modelOf({
    decls: `${findDecls}\n${notificationDecls}`,
    apis: `${findApi}\n  /** Notes. */\n  notes: { output: NotesOutput };`,
  });
  const bundle = JSON.parse(emitted(jsonSchemaEmitter, model, 'schema.json'));
  const openapi = JSON.parse(emitted(openapiEmitter, model, 'openapi.json'));

  test('a struct: nullable strings and booleans as type arrays, other nullables as anyOf, inputs open', () => {
    expect(bundle.$defs.FindInput).toEqual({
      description: 'Parameters of `find`.',
      'x-since': '1.1',
      type: 'object',
      properties: {
        user_id: { description: 'Who.', type: 'integer', minimum: 10001, maximum: 4294967295 },
        no_cache: { description: 'Skip the cache.', default: false, type: ['boolean', 'null'] },
        kind: { description: 'Kind.', type: 'string', enum: ['a', 'b'] },
      },
      required: ['user_id', 'kind'],
    });
    expect(bundle.$defs.FindOutput.additionalProperties).toBe(false);
    expect(bundle.$defs.FindOutput.properties.since).toEqual({
      description: 'Since when.',
      'x-since': '1.2',
      anyOf: [{ type: 'integer', minimum: 0, maximum: 9007199254740991 }, { type: 'null' }],
    });
  });

  test('unions are oneOf with their metadata; the bundle lists the APIs', () => {
    expect(bundle.$defs.Note.oneOf).toEqual([{ $ref: '#/$defs/KickNote' }, { $ref: '#/$defs/QuitNote' }]);
    expect(bundle.$defs.Note['x-milky-union']).toEqual({ discriminator: 'kind', layout: 'inline', extensible: true, envelope: [] });
    expect(bundle['x-milky-apis'].find).toEqual({
      category: 'system',
      since: '1.1',
      readOnly: true,
      description: 'Finds.',
      input: { $ref: '#/$defs/FindInput' },
      output: { $ref: '#/$defs/FindOutput' },
    });
  });

  test('OpenAPI: one POST path per API with the request and response envelopes', () => {
    expect(openapi.openapi).toBe('3.1.0');
    const post = openapi.paths['/api/find'].post;
    expect(post.operationId).toBe('find');
    expect(post.tags).toEqual(['system']);
    expect(post['x-read-only']).toBe(true);
    expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FindInput' });
    const [ok, failed] = post.responses['200'].content['application/json'].schema.oneOf;
    expect(ok.properties.data).toEqual({ description: 'Result.', $ref: '#/components/schemas/FindOutput' });
    expect(ok.properties.retcode).toEqual({ description: 'Zero.', type: 'integer', const: 0 });
    expect(ok.required).toEqual(['status', 'retcode', 'data']);
    expect(failed).toEqual({ $ref: '#/components/schemas/ApiFailure' });
    expect(Object.keys(post.responses)).toEqual(['200', '404']);
    expect(openapi.components.schemas.Note.discriminator).toEqual({
      propertyName: 'kind',
      mapping: { kick: '#/components/schemas/KickNote', quit: '#/components/schemas/QuitNote' },
    });
    expect(openapi.webhooks.event.post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Event' });
  });
});

describe('OpenAPI takes the envelope and the HTTP answers from the wire contract', () => {
  const model = modelOf({
    decls: findDecls,
    apis: findApi,
    wire: {
      retcodes:
        "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };\n  /** Offline. */\n  notLoggedIn: { code: -403; kind: 'P' };",
      answers: [
        "  /** No token. */\n  Unauthorized: { status: 401; kind: 'P'; event: true };",
        "  /** POST only. */\n  MethodNotAllowed: { status: 405; kind: 'C'; allow: 'POST' };",
      ].join('\n'),
    },
  });
  const openapi = JSON.parse(emitted(openapiEmitter, model, 'openapi.json'));

  test.each([
    { path: '/api/find', method: 'post', statuses: ['200', '401', '405'] },
    { path: '/event', method: 'get', statuses: ['101', '200', '401'] },
  ])('$path answers $statuses', ({ path, method, statuses }) => {
    expect(Object.keys(openapi.paths[path][method].responses)).toEqual(statuses);
  });

  test('each answer is a response with its description, kind and headers', () => {
    expect(openapi.components.responses).toEqual({
      Unauthorized: { description: 'No token.', 'x-kind': 'P' },
      MethodNotAllowed: { description: 'POST only.', 'x-kind': 'C', headers: { Allow: { schema: { type: 'string', const: 'POST' } } } },
    });
    expect(openapi.paths['/api/find'].post.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
  });

  test("the envelope's shapes are components; the failure describes each retcode", () => {
    expect(openapi.components.schemas.ApiFailure).toEqual({
      description: 'Failure.',
      type: 'object',
      properties: {
        status: { description: 'Shape.', type: 'string', const: 'failed' },
        retcode: {
          description: 'Why. -400: Bad input. -403: Offline. Other values are defined by the implementation.',
          type: 'integer',
          not: { const: 0 },
        },
        message: { description: 'Message.', type: 'string' },
      },
      required: ['status', 'retcode', 'message'],
    });
    expect(openapi.components.schemas.ApiSuccess.properties.data).toEqual({ description: 'Result.', type: 'object' });
  });

  test('schema.json declares the envelope and its shapes', () => {
    const bundle = JSON.parse(emitted(jsonSchemaEmitter, model, 'schema.json'));
    expect(bundle['x-milky-envelope']).toEqual({
      description: 'Envelope.',
      discriminator: 'status',
      oneOf: [{ $ref: '#/$defs/ApiSuccess' }, { $ref: '#/$defs/ApiFailure' }],
    });
    expect(bundle.$defs.ApiFailure).toEqual(openapi.components.schemas.ApiFailure);
  });
});
