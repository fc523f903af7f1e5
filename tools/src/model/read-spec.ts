// Compiles the TypeScript declarations of spec/ to JSON Schema with typescript-json-schema.
// The result is the raw input of build.ts; nothing else reads it.

import ts from 'typescript';
import * as TJS from 'typescript-json-schema';

/**
 * The JSDoc tags of the spec that are not JSON Schema keywords, kept in the raw schema.
 * `@since` and `@readOnly` are read from the declarations instead (see `declarationTags`):
 * typescript-json-schema drops custom keywords beside a `$ref`, and would read `1.10` as the number 1.1.
 */
export const specTags = ['tagged', 'envelope', 'discriminator', 'extensible'] as const;

/**
 * Tags read from the declarations themselves, as written: besides `@since` and `@readOnly`, the
 * envelope's `@subject` (how problems name a shape) and `@nonZero` (an integer field that is never 0).
 */
export const declarationTagNames = ['since', 'readOnly', 'subject', 'nonZero'] as const;

/**
 * Tags of fields read from the declarations, kept as `fieldMinimum` and `fieldMaximum`: bounds that
 * narrow the field's integer scalar. typescript-json-schema places `@minimum`/`@maximum` beside an
 * `anyOf` and drops them beside a `$ref`, so they are read where they are written.
 */
export const fieldBoundTags = { minimum: 'fieldMinimum', maximum: 'fieldMaximum' } as const;

/** A JSON Schema node as typescript-json-schema writes it, with the spec's own tags. */
export interface RawSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly RawSchema[];
  readonly items?: RawSchema;
  readonly properties?: Readonly<Record<string, RawSchema>>;
  readonly propertyOrder?: readonly string[];
  readonly required?: readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly fieldMinimum?: unknown;
  readonly fieldMaximum?: unknown;
  readonly since?: unknown;
  readonly readOnly?: unknown;
  readonly subject?: unknown;
  readonly nonZero?: unknown;
  readonly tagged?: unknown;
  readonly envelope?: unknown;
  readonly discriminator?: unknown;
  readonly extensible?: unknown;
  readonly [keyword: string]: unknown;
}

export interface RawSpec {
  readonly definitions: Readonly<Record<string, RawSchema>>;
}

/** Compiles the spec whose entry file is `entry` (the file that declares `Protocol`). */
export function readSpec(entry: string): RawSpec {
  const program = TJS.getProgramFromFiles([entry], {
    strict: true,
    exactOptionalPropertyTypes: true,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    lib: ['es5'],
    types: [],
  });
  const diagnostics = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  if (diagnostics.length > 0) {
    const messages = diagnostics.map((diagnostic) => {
      const text = typeof diagnostic.messageText === 'string' ? diagnostic.messageText : diagnostic.messageText.messageText;
      const where = diagnostic.file
        ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
        : entry;
      return `${where}: ${text}`;
    });
    throw new Error(`the spec does not compile:\n${messages.join('\n')}`);
  }
  const settings: TJS.PartialArgs = {
    required: true,
    strictNullChecks: true,
    aliasRef: true,
    ref: true,
    propOrder: true,
    noExtraProps: false,
    titles: false,
    uniqueNames: false,
    ignoreErrors: false,
    validationKeywords: [...specTags],
  };
  // '*' takes every type declared in the spec's files, not only those reachable from the entry:
  // the model builder reports declarations that nothing uses.
  const schema = TJS.generateSchema(program, '*', settings) as { definitions?: Record<string, RawSchema> } | null;
  if (!schema?.definitions) throw new Error(`typescript-json-schema could not read ${entry}`);
  const definitions = schema.definitions;
  for (const [owner, property, tag, value] of declarationTags(program)) {
    const definition = definitions[owner];
    if (!definition) continue;
    if (property === undefined) definitions[owner] = { ...definition, [tag]: value };
    else if (definition.properties?.[property]) {
      definitions[owner] = {
        ...definition,
        properties: { ...definition.properties, [property]: { ...definition.properties[property], [tag]: value } },
      };
    }
  }
  return { definitions };
}

/** Every tag of `declarationTagNames` on the spec's interfaces, type aliases and their properties, and `fieldBoundTags` on properties, as written. */
function* declarationTags(program: ts.Program): Generator<[owner: string, property: string | undefined, tag: string, value: string]> {
  const tagsOf = (node: ts.Node, names: Readonly<Record<string, string>>) =>
    ts
      .getJSDocTags(node)
      .filter((tag) => Object.hasOwn(names, tag.tagName.text))
      .map(
        (tag) =>
          [names[tag.tagName.text] as string, (ts.getTextOfJSDocComment(tag.comment) ?? '').trim().replace(/^"(.*)"$/, '$1')] as const,
      );
  const ofDeclarations = Object.fromEntries(declarationTagNames.map((name) => [name, name]));
  const ofFields = { ...ofDeclarations, ...fieldBoundTags };
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile) continue;
    for (const statement of file.statements) {
      if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) continue;
      const owner = statement.name.text;
      for (const [tag, value] of tagsOf(statement, ofDeclarations)) yield [owner, undefined, tag, value];
      if (!ts.isInterfaceDeclaration(statement)) continue;
      for (const member of statement.members) {
        if (!member.name || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) continue;
        for (const [tag, value] of tagsOf(member, ofFields)) yield [owner, member.name.text, tag, value];
      }
    }
  }
}
