// The model builder: what it derives from a fragment, and how it reports mistakes in the spec.

import { describe, expect, test } from 'vitest';
import { getStruct, getUnion } from '../src/model/ir.ts';
import { modelOf } from './helpers.ts';

describe('derived facts', () => {
  test('a declaration without @since takes the earliest version of what uses it', () => {
    const model = modelOf({
      decls: `
/** Parameters. */
export interface NewInput {
  /** Who. */
  who: Who;
}
/** A who. */
export interface Who {
  /** Id. */
  id: Uin;
}`,
      apis: `  /**
   * New in 1.2.
   * @since 1.2
   */
  fresh: { input: NewInput };`,
    });
    expect(getStruct(model, 'NewInput').since).toBe('1.2');
    expect(getStruct(model, 'Who').since).toBe('1.2');
    expect(getStruct(model, 'FreshOutput').since).toBe('1.2');
    expect(getStruct(model, 'Who').fields[0]?.since).toBe('1.2');
  });

  test('a variant without @since takes its union version; @since on the variant wins', () => {
    const model = modelOf({
      decls: `
/** New payload. */
export interface NewEvent {
  /** Why. */
  reason: string;
}`,
      events: `  /** Offline. */
  bot_offline: OfflineEvent;
  /**
   * New.
   * @since 1.10
   */
  new_thing: NewEvent;`,
      version: '1.10',
    });
    const event = getUnion(model, 'Event');
    expect(event.variants.map((variant) => [variant.tag, variant.since])).toEqual([
      ['bot_offline', '1.0'],
      ['new_thing', '1.10'],
    ]);
    expect(getStruct(model, 'NewEvent').since).toBe('1.10');
  });

  test('what the app sends is an input, what the protocol side sends an output', () => {
    const model = modelOf({
      decls: `
/** In. */
export interface EchoInput {
  /** Text. */
  text: string;
}
/** Out. */
export interface EchoOutput {
  /** Text. */
  text: string;
}`,
      apis: '  /** Echo. */\n  echo: { input: EchoInput; output: EchoOutput };',
    });
    expect(model.directions.get('EchoInput')).toBe('input');
    expect(model.directions.get('EchoOutput')).toBe('output');
    expect(model.directions.get('OfflineEvent')).toBe('output');
  });

  test('`Int64 | null` keeps the bounds of its scalar', () => {
    const model = modelOf({
      decls: `
/** Out. */
export interface CountOutput {
  /** How many. */
  count?: Int64 | null;
}`,
      apis: '  /** Count. */\n  count: { output: CountOutput };',
    });
    expect(getStruct(model, 'CountOutput').fields[0]).toMatchObject({
      type: { kind: 'integer', minimum: 0, maximum: 9007199254740991, scalar: 'Int64' },
      optional: true,
      nullable: true,
    });
  });
});

describe('a field narrows its integer scalar with @minimum and @maximum', () => {
  const bounds: Array<{ name: string; field: string; type: { minimum: number; maximum: number } }> = [
    {
      name: 'both bounds, nullable',
      field: '/**\n   * N.\n   * @minimum 1\n   * @maximum 30\n   */\n  n?: Int64 | null;',
      type: { minimum: 1, maximum: 30 },
    },
    {
      name: 'both bounds, required',
      field: '/**\n   * N.\n   * @minimum 1\n   * @maximum 30\n   */\n  n: Int64;',
      type: { minimum: 1, maximum: 30 },
    },
    { name: 'a minimum only', field: '/**\n   * N.\n   * @minimum 5\n   */\n  n: Int64;', type: { minimum: 5, maximum: 9007199254740991 } },
    {
      name: 'a maximum only',
      field: '/**\n   * N.\n   * @maximum 20000\n   */\n  n?: Uin | null;',
      type: { minimum: 10001, maximum: 20000 },
    },
  ];
  test.each(bounds)('$name', ({ field, type }) => {
    const model = modelOf({ decls: `/** In. */\nexport interface NInput {\n  ${field}\n}`, apis: '  /** N. */\n  n: { input: NInput };' });
    expect(getStruct(model, 'NInput').fields[0]?.type).toMatchObject({ kind: 'integer', ...type, narrowed: true });
  });

  test('a field without bounds keeps its scalar’s, and is not marked narrowed', () => {
    const model = modelOf({
      decls: '/** In. */\nexport interface NInput {\n  /** N. */\n  n: Int64;\n}',
      apis: '  /** N. */\n  n: { input: NInput };',
    });
    expect(getStruct(model, 'NInput').fields[0]?.type).toEqual({ kind: 'integer', minimum: 0, maximum: 9007199254740991, scalar: 'Int64' });
  });
});

describe('mistakes in the spec are reported where they are', () => {
  const mistakes: Array<{ name: string; decls: string; apis?: string; events?: string; message: RegExp }> = [
    {
      name: 'a field without a description',
      decls: '/** In. */\nexport interface AInput {\n  x: string;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: has no description/,
    },
    {
      name: 'a plain number',
      decls: '/** In. */\nexport interface AInput {\n  /** X. */\n  x: number;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: plain numbers are not allowed/,
    },
    {
      name: 'a default on a required field',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @default "a"\n   */\n  x: string;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: a field with @default must be optional/,
    },
    {
      name: 'a default of the wrong type',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @default 3\n   */\n  x?: boolean | null;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @default 3 does not fit/,
    },
    {
      name: 'a bound beyond the scalar’s',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @maximum 4294967296\n   */\n  x: Uin;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: bounds 10001\.\.4294967296 go beyond those of Uin \(10001\.\.4294967295\)/,
    },
    {
      name: 'a minimum above the maximum',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @minimum 9\n   * @maximum 3\n   */\n  x: Int64;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @minimum 9 is above @maximum 3/,
    },
    {
      name: 'a bound that is not a whole number',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @maximum 2.5\n   */\n  x: Int64;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @maximum must be a whole number, got "2\.5"/,
    },
    {
      name: 'bounds on a field that is not an integer',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @maximum 3\n   */\n  x: string;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @minimum and @maximum go on integer fields only/,
    },
    {
      name: 'a default outside the field’s bounds',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @maximum 30\n   * @default 31\n   */\n  x?: Int64 | null;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @default 31 does not fit/,
    },
    {
      name: 'a declaration nothing uses',
      decls: '/** Lonely. */\nexport interface Lonely {\n  /** X. */\n  x: string;\n}',
      message: /Lonely: is declared but no API or event uses it/,
    },
    {
      name: 'a type both sides send',
      decls:
        '/** Shared. */\nexport interface Shared {\n  /** X. */\n  x: string;\n}\n/** In. */\nexport interface AInput {\n  /** S. */\n  s: Shared;\n}\n/** Out. */\nexport interface AOutput {\n  /** S. */\n  s: Shared;\n}',
      apis: '  /** A. */\n  a: { input: AInput; output: AOutput };',
      message: /Shared: is sent by both sides/,
    },
    {
      name: 'a union member without its literal discriminator',
      decls:
        "/**\n * U.\n * @discriminator kind\n */\nexport type U = A | B;\n/** A. */\nexport interface A {\n  /** K. */\n  kind: 'a';\n}\n/** B. */\nexport interface B {\n  /** K. */\n  kind: string;\n}\n/** Out. */\nexport interface AOutput {\n  /** U. */\n  u: U;\n}",
      apis: '  /** A. */\n  a: { output: AOutput };',
      message: /B: needs a required string literal field `kind`/,
    },
    {
      name: 'a union without a discriminator',
      decls:
        "/** U. */\nexport type U = A | B;\n/** A. */\nexport interface A {\n  /** K. */\n  kind: 'a';\n}\n/** B. */\nexport interface B {\n  /** K. */\n  kind: 'b';\n}\n/** Out. */\nexport interface AOutput {\n  /** U. */\n  u: U;\n}",
      apis: '  /** A. */\n  a: { output: AOutput };',
      message: /U: a union needs @discriminator/,
    },
    {
      name: 'a malformed version',
      decls: '',
      apis: '  /**\n   * A.\n   * @since soon\n   */\n  a: {};',
      message: /SystemApis\.a: @since must be a version/,
    },
    {
      name: 'a flag with text',
      decls: '',
      apis: '  /**\n   * A.\n   * @readOnly yes\n   */\n  a: {};',
      message: /SystemApis\.a: @readOnly takes no text/,
    },
    {
      name: 'an API with an unexpected part',
      decls: '/** In. */\nexport interface AInput {\n  /** X. */\n  x: string;\n}',
      apis: '  /** A. */\n  a: { params: AInput };',
      message: /SystemApis\.a: unexpected property params/,
    },
    {
      name: 'code that does not compile',
      decls: '/** In. */\nexport interface AInput {\n  /** X. */\n  x: Missing;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /the spec does not compile:[\s\S]*Cannot find name 'Missing'/,
    },
  ];

  test.each(mistakes)('$name', ({ decls, apis, events, message }) => {
    expect(() => modelOf({ decls, ...(apis ? { apis } : {}), ...(events ? { events } : {}) })).toThrow(message);
  });
});

describe('nothing in the spec is newer than the spec itself (version 1.2 here)', () => {
  const newer: Array<{ name: string; decls: string; apis?: string; events?: string; message: RegExp }> = [
    {
      name: 'an API',
      decls: '',
      apis: '  /**\n   * A.\n   * @since 1.3\n   */\n  a: {};',
      message: /SystemApis\.a: @since 1\.3 is newer than the spec's own version 1\.2/,
    },
    {
      name: 'a field',
      decls: '/** In. */\nexport interface AInput {\n  /**\n   * X.\n   * @since 2.0\n   */\n  x?: string | null;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput\.x: @since 2\.0 is newer than the spec's own version 1\.2/,
    },
    {
      name: 'a declaration',
      decls: '/**\n * In.\n * @since 1.10\n */\nexport interface AInput {\n  /** X. */\n  x: string;\n}',
      apis: '  /** A. */\n  a: { input: AInput };',
      message: /AInput: @since 1\.10 is newer than the spec's own version 1\.2/,
    },
    {
      name: 'an event type',
      decls: '',
      events:
        '  /** Offline. */\n  bot_offline: OfflineEvent;\n  /**\n   * Again.\n   * @since 1.3\n   */\n  bot_offline_again: OfflineEvent;',
      message: /Event\.bot_offline_again: @since 1\.3 is newer than the spec's own version 1\.2/,
    },
    {
      name: 'a member of a union told apart by a field',
      decls:
        "/**\n * U.\n * @discriminator kind\n */\nexport type U = A | B;\n/** A. */\nexport interface A {\n  /** K. */\n  kind: 'a';\n}\n/**\n * B.\n * @since 1.3\n */\nexport interface B {\n  /** K. */\n  kind: 'b';\n}\n/** Out. */\nexport interface AOutput {\n  /** U. */\n  u: U;\n}",
      apis: '  /** A. */\n  a: { output: AOutput };',
      message: /B: @since 1\.3 is newer than the spec's own version 1\.2/,
    },
  ];

  test.each(newer)('$name', ({ decls, apis, events, message }) => {
    expect(() => modelOf({ decls, ...(apis ? { apis } : {}), ...(events ? { events } : {}) })).toThrow(message);
  });

  test('an item of the version of the spec itself is accepted', () => {
    const model = modelOf({ decls: '', apis: '  /**\n   * A.\n   * @since 1.2\n   */\n  a: {};' });
    expect(model.apis.find((api) => api.name === 'a')?.since).toBe('1.2');
  });
});

describe('the wire contract', () => {
  test('retcodes and HTTP answers are read in spec order with their kind', () => {
    const model = modelOf({
      decls: '',
      wire: {
        retcodes:
          "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };\n  /** Broke. */\n  internalError: { code: -500; kind: 'C' };",
        answers:
          "  /** No token. */\n  Unauthorized: { status: 401; kind: 'P'; event: true };\n  /** POST only. */\n  MethodNotAllowed: { status: 405; kind: 'C'; allow: 'POST' };",
      },
    });
    expect({ retcodes: model.wire.retcodes, answers: model.wire.answers }).toEqual({
      retcodes: [
        { name: 'invalidInput', code: -400, kind: 'P', description: 'Bad input.' },
        { name: 'internalError', code: -500, kind: 'C', description: 'Broke.' },
      ],
      answers: [
        { name: 'Unauthorized', status: 401, kind: 'P', description: 'No token.', allow: undefined, event: true },
        { name: 'MethodNotAllowed', status: 405, kind: 'C', description: 'POST only.', allow: 'POST', event: false },
      ],
    });
  });

  const answer = "  /** No such API. */\n  NotFound: { status: 404; kind: 'P' };";
  const retcode = "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };";
  const mistakes = [
    {
      name: 'a retcode of 0',
      wire: { retcodes: "  /** Fine. */\n  fine: { code: 0; kind: 'P' };", answers: answer },
      message: 'Retcodes.fine.code: must be a non-zero integer literal, got 0',
    },
    {
      name: 'a kind other than P or C',
      wire: { retcodes: "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'X' };", answers: answer },
      message: "Retcodes.invalidInput.kind: must be 'P' (the protocol states it) or 'C' (a choice of this toolkit), got \"X\"",
    },
    {
      name: 'two retcodes with one code',
      wire: { retcodes: `${retcode}\n  /** Again. */\n  again: { code: -400; kind: 'C' };`, answers: answer },
      message: 'Wire: two entries have the retcode -400',
    },
    {
      name: 'an HTTP answer of 200',
      wire: { retcodes: retcode, answers: "  /** Fine. */\n  Fine: { status: 200; kind: 'P' };" },
      message: 'HttpAnswers.Fine.status: must be an HTTP status from 300 to 599, got 200',
    },
    {
      name: 'an answer without a description',
      wire: { retcodes: retcode, answers: "  NotFound: { status: 404; kind: 'P' };" },
      message: 'HttpAnswers.NotFound',
    },
  ];
  test.each(mistakes)('$name', ({ wire, message }) => {
    expect(() => modelOf({ decls: '', wire })).toThrow(message);
  });

  test('the envelope: its shapes in spec order, told apart by the discriminator, each named for problems', () => {
    expect(modelOf({ decls: '' }).wire.envelope).toEqual({
      name: 'ApiResponse',
      description: 'Envelope.',
      discriminator: 'status',
      shapes: [
        {
          name: 'ApiSuccess',
          tag: 'ok',
          description: 'Success.',
          subject: 'status "ok"',
          fields: [
            { name: 'status', description: 'Shape.', type: { kind: 'literal', value: 'ok' } },
            { name: 'retcode', description: 'Zero.', type: { kind: 'literal', value: 0 } },
            { name: 'data', description: 'Result.', type: { kind: 'object' } },
          ],
        },
        {
          name: 'ApiFailure',
          tag: 'failed',
          description: 'Failure.',
          subject: 'a failure',
          fields: [
            { name: 'status', description: 'Shape.', type: { kind: 'literal', value: 'failed' } },
            { name: 'retcode', description: 'Why.', type: { kind: 'integer', nonZero: true } },
            { name: 'message', description: 'Message.', type: { kind: 'string' } },
          ],
        },
      ],
    });
  });

  const shape = (body: string, tags = '') => `/**
 * Envelope.${tags}
 */
export interface ApiResponse {
  /** Done. */
  ok: ApiSuccess;
}
/** Success. */
export interface ApiSuccess {
${body}
}`;
  const status = "  /** Shape. */\n  status: 'ok';";
  const envelopeMistakes = [
    { name: 'no discriminator', envelope: shape(status), message: 'ApiResponse: needs @discriminator <field>' },
    {
      name: 'a shape whose discriminator is not its name',
      envelope: shape("  /** Shape. */\n  status: 'fine';", '\n * @discriminator status'),
      message: "ApiSuccess: needs the field `status: 'ok'` (the shape ApiResponse.ok is selected by it)",
    },
    {
      name: 'an optional field',
      envelope: shape(`${status}\n  /** Data. */\n  data?: object;`, '\n * @discriminator status'),
      message: 'ApiSuccess.data: the fields of an envelope are required',
    },
    {
      name: '@nonZero on a string',
      envelope: shape(`${status}\n  /**\n   * Text.\n   * @nonZero\n   */\n  text: string;`, '\n * @discriminator status'),
      message: 'ApiSuccess.text: @nonZero goes on integer fields only',
    },
    {
      name: 'a field of a declared type',
      envelope: shape(`${status}\n  /** Who. */\n  user: Uin;`, '\n * @discriminator status'),
      message: "ApiSuccess.user: an envelope's field is a literal",
    },
  ];
  test.each(envelopeMistakes)('envelope: $name', ({ envelope, message }) => {
    expect(() => modelOf({ decls: '', envelope })).toThrow(message);
  });
});
