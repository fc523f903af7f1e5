// Emits src/generated/envelope.ts: the envelope's shapes as types (`ApiSuccess<T>`, `ApiFailure`,
// their union `ApiResponse<T>`), and `readEnvelope`, the one reader of an API's answer that every
// package uses, with `EnvelopeReading`, what it reads an answer as.
//
// The reader checks each shape's fields as the spec declares them, in order, and names the first
// that is wrong: a literal (`status "ok" needs retcode 0`), an object (`data must always be an
// object`), an integer (`a failure needs a non-zero integer retcode`). A string field is not
// checked: the reading carries it, or `undefined` when the answer has none.

import ts from 'typescript';
import type { Envelope, EnvelopeField, EnvelopeShape, Model } from '../model/ir.ts';
import { type Emitter, tsFile } from './emitter.ts';
import {
  access,
  call,
  constant,
  factory as f,
  json,
  keyword,
  literalType,
  object,
  printModule,
  propertyName,
  str,
  typeRef,
  union,
  withDoc,
} from './printer.ts';

/** The value of the discriminator of a reading that is no envelope. */
export const invalidTag = 'invalid';

const readonly = () => [f.createModifier(ts.SyntaxKind.ReadonlyKeyword)];
const exported = () => [f.createModifier(ts.SyntaxKind.ExportKeyword)];

function member(name: string, type: ts.TypeNode, doc?: readonly string[]): ts.PropertySignature {
  const node = f.createPropertySignature(readonly(), propertyName(name), undefined, type);
  return doc ? withDoc(node, doc) : node;
}

/** A shape takes the API's result as a type parameter when it has an object field. */
const generic = (shape: EnvelopeShape) => shape.fields.some((field) => field.type.kind === 'object');

function fieldType(field: EnvelopeField): ts.TypeNode {
  switch (field.type.kind) {
    case 'literal':
      return literalType(field.type.value);
    case 'integer':
      return keyword('number');
    case 'string':
      return keyword('string');
    case 'object':
      return typeRef('T');
  }
}

function shapeInterface(shape: EnvelopeShape): ts.InterfaceDeclaration {
  const parameters = generic(shape) ? [f.createTypeParameterDeclaration(undefined, 'T')] : undefined;
  const members = shape.fields.map((field) => member(field.name, fieldType(field), [field.description]));
  return withDoc(f.createInterfaceDeclaration(exported(), shape.name, parameters, undefined, members), [shape.description]);
}

function responseType(envelope: Envelope): ts.TypeAliasDeclaration {
  const anyGeneric = envelope.shapes.some(generic);
  const shapes = envelope.shapes.map((shape) => typeRef(shape.name, generic(shape) ? [typeRef('T')] : undefined));
  const parameters = anyGeneric ? [f.createTypeParameterDeclaration(undefined, 'T')] : undefined;
  return withDoc(f.createTypeAliasDeclaration(exported(), envelope.name, parameters, union(shapes)), [envelope.description]);
}

/** The fields a reading carries: the discriminator and what is not a literal. */
const carried = (envelope: Envelope, shape: EnvelopeShape) =>
  shape.fields.filter((field) => field.name !== envelope.discriminator && field.type.kind !== 'literal');

function readingType(envelope: Envelope): ts.TypeAliasDeclaration {
  const tag = (value: string) => member(envelope.discriminator, literalType(value));
  const shapes = envelope.shapes.map((shape) =>
    f.createTypeLiteralNode([
      tag(shape.tag),
      ...carried(envelope, shape).map((field) => {
        if (field.type.kind === 'object') return member(field.name, typeRef('Record', [keyword('string'), keyword('unknown')]));
        if (field.type.kind === 'integer') return member(field.name, keyword('number'));
        return member(field.name, union([keyword('string'), f.createKeywordTypeNode(K.UndefinedKeyword)]), [
          `${field.description} Undefined when the answer has none (which breaks the protocol).`,
        ]);
      }),
    ]),
  );
  const invalid = f.createTypeLiteralNode([
    tag(invalidTag),
    member('problem', keyword('string'), ['What is wrong, for humans: `the answer is not JSON: "hello"`.']),
  ]);
  return withDoc(f.createTypeAliasDeclaration(exported(), 'EnvelopeReading', undefined, union([...shapes, invalid])), [
    "What the body of an API's answer reads as: one of the envelope's shapes, or why it is none.",
  ]);
}

const value = (name: string) => f.createIdentifier(name);
const param = (name: string, type: ts.TypeNode) => f.createParameterDeclaration(undefined, undefined, name, undefined, type);
const arrow = (parameters: ts.ParameterDeclaration[], type: ts.TypeNode | undefined, body: ts.ConciseBody) =>
  f.createArrowFunction(undefined, undefined, parameters, type, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), body);
const binary = (left: ts.Expression, operator: ts.BinaryOperator, right: ts.Expression) => f.createBinaryExpression(left, operator, right);
const K = ts.SyntaxKind;
const ret = (expression: ts.Expression) => f.createReturnStatement(expression);
const typeOf = (expression: ts.Expression, type: string) =>
  binary(f.createTypeOfExpression(expression), K.ExclamationEqualsEqualsToken, str(type));

/** `return invalid(\`<text>, got ${shown(<found>)}\`)`: a problem naming what was found. */
function problem(text: string, found: ts.Expression, separator = ', got '): ts.ReturnStatement {
  const template = f.createTemplateExpression(f.createTemplateHead(`${text}${separator}`), [
    f.createTemplateSpan(call('shown', [found]), f.createTemplateTail('')),
  ]);
  return ret(call('invalid', [template]));
}

/** `shown`, `isObject` and `invalid`: what the reader uses. */
function helpers(envelope: Envelope): ts.Statement[] {
  const text = value('text');
  const shownBody = f.createBlock(
    [
      constant('text', call('JSON.stringify', [value('value')])),
      ret(
        f.createConditionalExpression(
          binary(text, K.EqualsEqualsEqualsToken, f.createIdentifier('undefined')),
          undefined,
          call('String', [value('value')]),
          undefined,
          f.createConditionalExpression(
            binary(access('text.length'), K.GreaterThanToken, json(80)),
            undefined,
            f.createTemplateExpression(f.createTemplateHead(''), [
              f.createTemplateSpan(call('text.slice', [json(0), json(77)]), f.createTemplateTail('...')),
            ]),
            undefined,
            text,
          ),
        ),
      ),
    ],
    true,
  );
  const isObject = binary(
    binary(
      binary(f.createTypeOfExpression(value('value')), K.EqualsEqualsEqualsToken, str('object')),
      K.AmpersandAmpersandToken,
      binary(value('value'), K.ExclamationEqualsEqualsToken, f.createNull()),
    ),
    K.AmpersandAmpersandToken,
    f.createPrefixUnaryExpression(K.ExclamationToken, call('Array.isArray', [value('value')])),
  );
  return [
    withDoc(constant('shown', arrow([param('value', keyword('unknown'))], keyword('string'), shownBody)), [
      'A value as JSON, cut to 80 characters, for a problem.',
    ]),
    constant(
      'isObject',
      arrow(
        [param('value', keyword('unknown'))],
        f.createTypePredicateNode(undefined, 'value', typeRef('Record', [keyword('string'), keyword('unknown')])),
        isObject,
      ),
    ),
    constant(
      'invalid',
      arrow(
        [param('problem', keyword('string'))],
        typeRef('EnvelopeReading'),
        f.createParenthesizedExpression(
          object(
            [
              [envelope.discriminator, str(invalidTag)],
              ['problem', value('problem')],
            ],
            false,
          ),
        ),
      ),
    ),
  ];
}

/** The checks of one shape's fields, then the reading it gives. */
function shapeChecks(envelope: Envelope, shape: EnvelopeShape): ts.Statement[] {
  const field = (name: string) => access(`body.${name}`);
  const checks = shape.fields.flatMap((entry): ts.Statement[] => {
    const at = field(entry.name);
    const type = entry.type;
    if (entry.name === envelope.discriminator || type.kind === 'string') return [];
    if (type.kind === 'literal') {
      const fails = binary(at, K.ExclamationEqualsEqualsToken, json(type.value));
      return [f.createIfStatement(fails, problem(`${shape.subject} needs ${entry.name} ${JSON.stringify(type.value)}`, at))];
    }
    if (type.kind === 'object') {
      const fails = f.createPrefixUnaryExpression(K.ExclamationToken, call('isObject', [at]));
      return [f.createIfStatement(fails, problem(`${entry.name} must always be an object`, at))];
    }
    let fails = binary(
      typeOf(at, 'number'),
      K.BarBarToken,
      f.createPrefixUnaryExpression(K.ExclamationToken, call('Number.isInteger', [at])),
    );
    if (type.nonZero) fails = binary(fails, K.BarBarToken, binary(at, K.EqualsEqualsEqualsToken, json(0)));
    const what = `${type.nonZero ? 'a non-zero' : 'an'} integer ${entry.name}`;
    return [f.createIfStatement(fails, problem(`${shape.subject} needs ${what}`, at))];
  });
  const reading = object([
    [envelope.discriminator, str(shape.tag)],
    ...carried(envelope, shape).map((entry): [string, ts.Expression] => {
      const at = field(entry.name);
      if (entry.type.kind !== 'string') return [entry.name, at];
      const isString = binary(f.createTypeOfExpression(at), K.EqualsEqualsEqualsToken, str('string'));
      return [entry.name, f.createConditionalExpression(isString, undefined, at, undefined, f.createIdentifier('undefined'))];
    }),
  ]);
  return [...checks, ret(reading)];
}

function reader(envelope: Envelope): ts.FunctionDeclaration {
  const tags = envelope.shapes.map((shape) => JSON.stringify(shape.tag));
  const parse = f.createTryStatement(
    f.createBlock([f.createExpressionStatement(binary(value('body'), K.EqualsToken, call('JSON.parse', [value('text')])))], true),
    f.createCatchClause(undefined, f.createBlock([problem('the answer is not JSON', call('text.slice', [json(0), json(80)]), ': ')], true)),
    undefined,
  );
  const statements: ts.Statement[] = [
    f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList([f.createVariableDeclaration('body', undefined, keyword('unknown'))], ts.NodeFlags.Let),
    ),
    parse,
    f.createIfStatement(
      f.createPrefixUnaryExpression(K.ExclamationToken, call('isObject', [value('body')])),
      problem('the answer is not a JSON object', value('body'), ': '),
    ),
    ...envelope.shapes.map((shape) =>
      f.createIfStatement(
        binary(access(`body.${envelope.discriminator}`), K.EqualsEqualsEqualsToken, str(shape.tag)),
        f.createBlock(shapeChecks(envelope, shape), true),
      ),
    ),
    problem(`${envelope.discriminator} must be ${tags.join(' or ')}`, access(`body.${envelope.discriminator}`)),
  ];
  const shapes = envelope.shapes.map((shape) => `\`${envelope.discriminator}: ${JSON.stringify(shape.tag)}\``).join(' or ');
  return withDoc(
    f.createFunctionDeclaration(
      exported(),
      undefined,
      'readEnvelope',
      undefined,
      [param('text', keyword('string'))],
      typeRef('EnvelopeReading'),
      f.createBlock(statements, true),
    ),
    [
      `Reads the body of an API's answer as the protocol's envelope: ${shapes},`,
      'each field as the spec declares it. Every package that reads envelopes reads them here, so that',
      'all judge them alike.',
    ],
  );
}

export const envelopeEmitter: Emitter = {
  name: 'envelope',
  emit(model: Model) {
    const { envelope } = model.wire;
    if (envelope.shapes.some((shape) => shape.tag === invalidTag)) {
      throw new Error(`${envelope.name}: a shape may not be called ${invalidTag}, which the reader gives what is no envelope`);
    }
    const statements: ts.Statement[] = [
      ...envelope.shapes.map(shapeInterface),
      responseType(envelope),
      readingType(envelope),
      ...helpers(envelope),
      reader(envelope),
    ];
    return [tsFile(model, 'src/generated/envelope.ts', printModule(statements))];
  },
};
