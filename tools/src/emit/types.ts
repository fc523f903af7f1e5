// Emits src/generated/types.ts: the static types, with the spec's descriptions as TSDoc.
//
// - a struct becomes an interface (an empty one `Record<string, never>`);
// - an inline union becomes a union of its variant interfaces;
// - a tagged union becomes `<Name>DataMap` (tag → payload, documented per tag) and a union mapped from it;
// - a declaration with defaults somewhere inside gets `<Name>Resolved`: what a handler sees once
//   defaults are applied (those fields present and never null);
// - an extensible union also gets `Unknown<Name>`: the shape of a variant this version does not
//   define, as a lenient receiver keeps it (a separate type, so that switching on the tag still narrows);
// - `ApiMap` lists every API with its category, input, resolved input and output;
// - each declaration's schema (from schemas.ts) is exported under the declaration's name, so that
//   `FriendEntity` is both a type and a schema, and this module alone exports the whole protocol.

import ts from 'typescript';
import { firstVersion } from '../model/build.ts';
import { type Decl, type Field, type Model, refsOf, type StructDecl, type TypeNode, type UnionDecl } from '../model/ir.ts';
import { type Emitter, tsFile } from './emitter.ts';
import {
  access,
  constant,
  exportInterface,
  exportType,
  factory as f,
  importDecl,
  keyword,
  literalType,
  printModule,
  propertySignature,
  typeLiteral,
  typeRef,
  union,
  withDoc,
} from './printer.ts';

/** TSDoc lines of a declaration. */
export function docOf(decl: Decl): string[] {
  if (decl.kind === 'scalar') return [decl.description, `An integer from ${decl.minimum} to ${decl.maximum}.`];
  return [decl.description, ...(decl.since !== firstVersion ? [`@since ${decl.since}`] : [])];
}

function fieldDoc(field: Field, ownerSince: string): string[] {
  return [
    field.description,
    ...(field.type.kind === 'integer' && field.type.narrowed ? [`From ${field.type.minimum} to ${field.type.maximum}.`] : []),
    ...(field.default !== undefined ? [`@defaultValue \`${JSON.stringify(field.default)}\``] : []),
    ...(field.since !== ownerSince ? [`@since ${field.since}`] : []),
  ];
}

/** Names of the declarations that get a `Resolved` form: those with a default somewhere inside. */
export function resolvedNames(model: Model): Set<string> {
  const names = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const decl of model.decls.values()) {
      if (names.has(decl.name) || decl.kind === 'scalar') continue;
      const needs =
        decl.kind === 'struct'
          ? decl.fields.some((field) => field.default !== undefined || refsOf(field.type).some((ref) => names.has(ref)))
          : decl.variants.some((variant) => names.has(variant.type));
      if (needs) {
        names.add(decl.name);
        changed = true;
      }
    }
  }
  return names;
}

class TypesEmitter {
  private readonly model: Model;
  private readonly resolved: Set<string>;

  constructor(model: Model) {
    this.model = model;
    this.resolved = resolvedNames(model);
  }

  /** The name to refer to a declaration by, in its plain or resolved form. */
  private nameOf(name: string, resolved: boolean): string {
    return resolved && this.resolved.has(name) ? `${name}Resolved` : name;
  }

  private typeOf(type: TypeNode, resolved: boolean): ts.TypeNode {
    switch (type.kind) {
      case 'string':
        return keyword('string');
      case 'boolean':
        return keyword('boolean');
      case 'integer':
        return typeRef(type.scalar);
      case 'literal':
        return literalType(type.value);
      case 'enum':
        return union(type.values.map((value) => literalType(value)));
      case 'array':
        return f.createArrayTypeNode(this.typeOf(type.items, resolved));
      case 'ref':
        return typeRef(this.nameOf(type.name, resolved));
    }
  }

  private member(field: Field, ownerSince: string, resolved: boolean): ts.PropertySignature {
    const filled = resolved && field.default !== undefined;
    const type = this.typeOf(field.type, resolved);
    return propertySignature(
      field.name,
      field.nullable && !filled ? union([type, literalType(null)]) : type,
      field.optional && !filled,
      fieldDoc(field, ownerSince),
    );
  }

  private struct(decl: StructDecl, resolved: boolean): ts.Statement {
    const name = this.nameOf(decl.name, resolved);
    const doc = resolved ? [`{@link ${decl.name}} with its defaults applied.`] : docOf(decl);
    if (decl.fields.length === 0) return exportType(name, typeRef('Record', [keyword('string'), keyword('never')]), doc);
    return exportInterface(
      name,
      decl.fields.map((field) => this.member(field, decl.since, resolved)),
      doc,
    );
  }

  private union(decl: UnionDecl, resolved: boolean): ts.Statement[] {
    const name = this.nameOf(decl.name, resolved);
    const doc = resolved ? [`{@link ${decl.name}} with its defaults applied.`] : docOf(decl);
    if (decl.layout === 'inline') {
      return [exportType(name, union(decl.variants.map((variant) => typeRef(this.nameOf(variant.type, resolved)))), doc)];
    }
    const mapName = `${name}DataMap`;
    const map = exportInterface(
      mapName,
      decl.variants.map((variant) =>
        propertySignature(variant.tag, typeRef(this.nameOf(variant.type, resolved)), false, [
          variant.description,
          ...(variant.since !== decl.since ? [`@since ${variant.since}`] : []),
        ]),
      ),
      [`Payload types of {@link ${name}}, by \`${decl.discriminator}\`.`],
    );
    const tag = f.createTypeParameterDeclaration(undefined, 'K', f.createTypeOperatorNode(ts.SyntaxKind.KeyOfKeyword, typeRef(mapName)));
    const variant = typeLiteral([
      propertySignature(decl.discriminator, typeRef('K'), false, ['Which variant this is.']),
      ...decl.envelope.map((field) => this.member(field, decl.since, resolved)),
      propertySignature('data', f.createIndexedAccessTypeNode(typeRef(mapName), typeRef('K')), false, ['Payload of the variant.']),
    ]);
    const mapped = f.createMappedTypeNode(undefined, tag, undefined, undefined, variant, undefined);
    const all = f.createIndexedAccessTypeNode(mapped, f.createTypeOperatorNode(ts.SyntaxKind.KeyOfKeyword, typeRef(mapName)));
    return [map, exportType(name, all, doc)];
  }

  /** `Unknown<Name>`: a variant of an extensible union with a tag this version does not define. */
  private unknownVariant(decl: UnionDecl): ts.Statement {
    const tag = propertySignature(decl.discriminator, keyword('string'), false, [`A tag that is not one of {@link ${decl.name}}'s.`]);
    const rest =
      decl.layout === 'tagged'
        ? [
            ...decl.envelope.map((field) => this.member(field, decl.since, false)),
            propertySignature('data', keyword('unknown'), false, ['Payload, as received.']),
          ]
        : [
            f.createIndexSignature(
              undefined,
              [f.createParameterDeclaration(undefined, undefined, 'field', undefined, keyword('string'))],
              keyword('unknown'),
            ),
          ];
    return exportInterface(
      `Unknown${decl.name}`,
      [tag, ...rest],
      [
        `A variant of {@link ${decl.name}} that this version of the protocol does not define, as a lenient`,
        'receiver keeps it. It is not part of the union, so that switching on the tag narrows; tell it apart',
        'with the registry of the union.',
      ],
    );
  }

  private decl(decl: Decl, resolved: boolean): ts.Statement[] {
    switch (decl.kind) {
      case 'scalar':
        return resolved ? [] : [exportType(decl.name, keyword('number'), docOf(decl))];
      case 'struct':
        return [this.struct(decl, resolved)];
      case 'union':
        return [...this.union(decl, resolved), ...(decl.extensible && !resolved ? [this.unknownVariant(decl)] : [])];
    }
  }

  private apiMap(): ts.Statement {
    return exportInterface(
      'ApiMap',
      this.model.apis.map((api) =>
        propertySignature(
          api.name,
          typeLiteral([
            propertySignature('category', literalType(api.category)),
            propertySignature('readOnly', literalType(api.readOnly)),
            propertySignature('input', typeRef(api.input)),
            propertySignature('resolvedInput', typeRef(this.nameOf(api.input, true))),
            propertySignature('output', typeRef(api.output)),
          ]),
          false,
          [
            api.description,
            `@category ${api.category}`,
            ...(api.since !== firstVersion ? [`@since ${api.since}`] : []),
            ...(api.readOnly ? ['@readOnly'] : []),
          ],
        ),
      ),
      [
        'Every API of the protocol, by name (`POST /api/<name>`): its category, whether it only reads,',
        'the parameters an app sends (`input`), what a handler receives once defaults are applied',
        '(`resolvedInput`), and `data` of a successful response (`output`).',
      ],
    );
  }

  emit(): string {
    const decls = [...this.model.decls.values()];
    return printModule([
      importDecl('./schemas.ts', { namespace: 'S' }),
      ...decls.flatMap((decl) => [
        ...this.decl(decl, false),
        withDoc(constant(decl.name, access(`S.${decl.name}`), { exported: true }), docOf(decl)),
      ]),
      ...decls.filter((decl) => this.resolved.has(decl.name)).flatMap((decl) => this.decl(decl, true)),
      this.apiMap(),
    ]);
  }
}

export const typesEmitter: Emitter = {
  name: 'types',
  emit(model) {
    return [tsFile(model, 'src/generated/types.ts', new TypesEmitter(model).emit())];
  },
};
