// Emits src/generated/schemas.ts: per declaration a function making its TypeBox schema, and the
// schema itself, which types.ts re-exports beside the type of the same name (`FriendEntity` is
// both). Each schema is imported from a TypeBox module of its
// own closure (the declarations it refers to, transitively) in a call marked pure, so that a bundle
// keeps only the schemas it uses and the declarations they need.

import type ts from 'typescript';
import { closureOf, type Decl, type Field, type Model, type StructDecl, type TypeNode, type UnionDecl } from '../model/ir.ts';
import { type Emitter, tsFile } from './emitter.ts';
import {
  array,
  call,
  constant,
  factory as f,
  id,
  importDecl,
  json,
  keyword,
  object,
  printModule,
  pure,
  str,
  typeRef,
  withDoc,
} from './printer.ts';
import { docOf } from './types.ts';

/**
 * The metadata a union schema carries, read at run time by the validators. It is a contract with
 * `UnionMetadata` in packages/types/src/validation/explain.ts: change both together (the tests of
 * @milky/types fail when they disagree).
 */
export interface UnionMetadata {
  readonly discriminator: string;
  readonly layout: 'tagged' | 'inline';
  readonly extensible: boolean;
  readonly envelope: readonly string[];
}

export const unionMetadataKey = 'x-milky-union';

type Options = ReadonlyArray<readonly [string, ts.Expression]>;

/** A TypeBox call for a type; `options` (description, default) go to its outermost schema. */
function typeExpr(type: TypeNode, options: Options = []): ts.Expression {
  const args = (first: ts.Expression[]) => (options.length > 0 ? [...first, object(options, false)] : first);
  switch (type.kind) {
    case 'string':
      return call('Type.String', args([]));
    case 'boolean':
      return call('Type.Boolean', args([]));
    case 'integer':
      return call('Type.Integer', [object([['minimum', json(type.minimum)], ['maximum', json(type.maximum)], ...options], false)]);
    case 'literal':
      return call('Type.Literal', args([str(type.value)]));
    case 'enum':
      return call(
        'Type.Union',
        args([
          array(
            type.values.map((value) => call('Type.Literal', [str(value)])),
            false,
          ),
        ]),
      );
    case 'array':
      return call('Type.Array', args([typeExpr(type.items)]));
    case 'ref':
      return call('Type.Ref', args([str(type.name)]));
  }
}

function fieldExpr(field: Field): [string, ts.Expression] {
  const options: Options = [
    ['description', str(field.description)],
    ...(field.default !== undefined ? ([['default', json(field.default)]] as const) : []),
  ];
  let expr = field.nullable
    ? call('Type.Union', [array([typeExpr(field.type), call('Type.Null', [])], false), object(options, false)])
    : typeExpr(field.type, options);
  if (field.optional) expr = call('Type.Optional', [expr]);
  return [field.name, expr];
}

function closedOption(model: Model, name: string): Options {
  return model.directions.get(name) === 'output' ? [['additionalProperties', f.createFalse()]] : [];
}

function structExpr(model: Model, decl: StructDecl): ts.Expression {
  return call('Type.Object', [
    object(decl.fields.map(fieldExpr)),
    object([['description', str(decl.description)], ...closedOption(model, decl.name)], false),
  ]);
}

function unionExpr(model: Model, decl: UnionDecl): ts.Expression {
  const metadata: UnionMetadata = {
    discriminator: decl.discriminator,
    layout: decl.layout,
    extensible: decl.extensible,
    envelope: decl.envelope.map((field) => field.name),
  };
  const variants = decl.variants.map((variant) => {
    if (decl.layout === 'inline') return call('Type.Ref', [str(variant.type)]);
    return call('Type.Object', [
      object([
        [decl.discriminator, call('Type.Literal', [str(variant.tag)])],
        ...decl.envelope.map(fieldExpr),
        ['data', call('Type.Ref', [str(variant.type)])],
      ]),
      object([['description', str(variant.description)], ...closedOption(model, decl.name)], false),
    ]);
  });
  return call('Type.Union', [
    array(variants),
    object(
      [
        ['description', str(decl.description)],
        [unionMetadataKey, json({ ...metadata, envelope: [...metadata.envelope] })],
      ],
      false,
    ),
  ]);
}

function declExpr(model: Model, decl: Decl): ts.Expression {
  switch (decl.kind) {
    case 'scalar':
      return call('Type.Integer', [
        object(
          [
            ['minimum', json(decl.minimum)],
            ['maximum', json(decl.maximum)],
            ['description', str(decl.description)],
          ],
          false,
        ),
      ]);
    case 'struct':
      return structExpr(model, decl);
    case 'union':
      return unionExpr(model, decl);
  }
}

/** `FriendEntity` → `defineFriendEntity`, the function that makes its schema. */
function maker(name: string): string {
  return `define${name}`;
}

/** `{ FriendEntity: defineFriendEntity, ... }` for some declarations. */
function makers(names: readonly string[], multiLine: boolean): ts.Expression {
  return object(
    names.map((name) => [name, id(maker(name))] as const),
    multiLine,
  );
}

export const typeboxEmitter: Emitter = {
  name: 'typebox',
  emit(model) {
    const decls = [...model.decls.values()];
    const statements: ts.Statement[] = [
      importDecl('@sinclair/typebox', ['type TSchema', 'Type']),
      importDecl('../schema.ts', ['definitionTable', 'importSchema']),
      importDecl('./types.ts', { namespace: 'T', typeOnly: true }),
      ...decls.map((decl) =>
        constant(maker(decl.name), f.createArrowFunction(undefined, undefined, [], undefined, undefined, declExpr(model, decl))),
      ),
      constant(
        'definitions',
        pure(
          call('definitionTable', [
            makers(
              decls.map((decl) => decl.name),
              true,
            ),
          ]),
        ),
        {
          exported: true,
          type: typeRef('Record', [keyword('string'), typeRef('TSchema')]),
          doc: [
            'Every declaration of the protocol as a TypeBox schema, by name; references between them are `Type.Ref`.',
            'Use the typed exports below (or the registries) rather than this table.',
          ],
        },
      ),
      ...decls.map((decl) =>
        withDoc(
          constant(
            decl.name,
            pure(call('importSchema', [str(decl.name), makers(closureOf(model, decl.name), false)], [typeRef(`T.${decl.name}`)])),
            { exported: true },
          ),
          docOf(decl),
        ),
      ),
    ];
    return [tsFile(model, 'src/generated/schemas.ts', printModule(statements))];
  },
};
