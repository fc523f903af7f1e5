// Builds TypeScript with the compiler's factory and prints it: emitters never concatenate code.

import ts from 'typescript';
import type { JsonValue } from '../model/ir.ts';

const f = ts.factory;

export { f as factory };

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function id(name: string): ts.Identifier {
  return f.createIdentifier(name);
}

export function str(value: string): ts.StringLiteral {
  return f.createStringLiteral(value, true);
}

/** A property name: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): ts.PropertyName {
  return identifierPattern.test(name) ? id(name) : str(name);
}

/** `a.b.c` */
export function access(path: string): ts.Expression {
  const [first = '', ...rest] = path.split('.');
  return rest.reduce<ts.Expression>((object, name) => f.createPropertyAccessExpression(object, name), id(first));
}

export function call(callee: string, args: readonly ts.Expression[], typeArgs?: readonly ts.TypeNode[]): ts.CallExpression {
  return f.createCallExpression(access(callee), typeArgs, args);
}

/**
 * Marks a call as free of side effects (`/* @__PURE__ *\/`), so that a bundler drops it when its
 * result is unused.
 */
export function pure<T extends ts.Expression>(expression: T): T {
  return ts.addSyntheticLeadingComment(expression, ts.SyntaxKind.MultiLineCommentTrivia, ' @__PURE__ ', false);
}

/** An object literal from entries, one property per line when `multiLine`. */
export function object(entries: ReadonlyArray<readonly [string, ts.Expression]>, multiLine = true): ts.ObjectLiteralExpression {
  return f.createObjectLiteralExpression(
    entries.map(([name, value]) => f.createPropertyAssignment(propertyName(name), value)),
    multiLine && entries.length > 0,
  );
}

export function array(elements: readonly ts.Expression[], multiLine = true): ts.ArrayLiteralExpression {
  return f.createArrayLiteralExpression(elements, multiLine && elements.length > 1);
}

/** An expression for a JSON value. */
export function json(value: JsonValue, multiLine = false): ts.Expression {
  if (value === null) return f.createNull();
  if (typeof value === 'string') return str(value);
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  if (typeof value === 'number') {
    const literal = f.createNumericLiteral(Math.abs(value));
    return value < 0 ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, literal) : literal;
  }
  if (Array.isArray(value))
    return array(
      value.map((item) => json(item, multiLine)),
      multiLine,
    );
  return object(
    Object.entries(value).map(([key, item]) => [key, json(item, multiLine)] as const),
    multiLine,
  );
}

/** A type for a JSON literal: `'a'`, `1`, `true`, `null`. */
export function literalType(value: string | number | boolean | null): ts.TypeNode {
  if (value === null) return f.createLiteralTypeNode(f.createNull());
  if (typeof value === 'string') return f.createLiteralTypeNode(str(value));
  if (typeof value === 'boolean') return f.createLiteralTypeNode(value ? f.createTrue() : f.createFalse());
  return f.createLiteralTypeNode(f.createNumericLiteral(value));
}

export function typeRef(name: string, args?: readonly ts.TypeNode[]): ts.TypeReferenceNode {
  const [first = '', ...rest] = name.split('.');
  const entity = rest.reduce<ts.EntityName>((left, right) => f.createQualifiedName(left, right), id(first));
  return f.createTypeReferenceNode(entity, args);
}

export function keyword(kind: 'string' | 'number' | 'boolean' | 'unknown' | 'never'): ts.KeywordTypeNode {
  const kinds = {
    string: ts.SyntaxKind.StringKeyword,
    number: ts.SyntaxKind.NumberKeyword,
    boolean: ts.SyntaxKind.BooleanKeyword,
    unknown: ts.SyntaxKind.UnknownKeyword,
    never: ts.SyntaxKind.NeverKeyword,
  } as const;
  return f.createKeywordTypeNode(kinds[kind]);
}

export function union(types: readonly ts.TypeNode[]): ts.TypeNode {
  return types.length === 1 ? (types[0] as ts.TypeNode) : f.createUnionTypeNode(types);
}

export function propertySignature(name: string, type: ts.TypeNode, optional = false, doc?: readonly string[]): ts.PropertySignature {
  const node = f.createPropertySignature(
    undefined,
    propertyName(name),
    optional ? f.createToken(ts.SyntaxKind.QuestionToken) : undefined,
    type,
  );
  return doc ? withDoc(node, doc) : node;
}

export function typeLiteral(members: readonly ts.TypeElement[]): ts.TypeLiteralNode {
  return f.createTypeLiteralNode(members);
}

const exportModifier = (): ts.ModifierToken<ts.SyntaxKind.ExportKeyword> => f.createModifier(ts.SyntaxKind.ExportKeyword);

export function exportInterface(name: string, members: readonly ts.TypeElement[], doc?: readonly string[]): ts.InterfaceDeclaration {
  const node = f.createInterfaceDeclaration([exportModifier()], name, undefined, undefined, members);
  return doc ? withDoc(node, doc) : node;
}

export function exportType(name: string, type: ts.TypeNode, doc?: readonly string[]): ts.TypeAliasDeclaration {
  const node = f.createTypeAliasDeclaration([exportModifier()], name, undefined, type);
  return doc ? withDoc(node, doc) : node;
}

export function constant(
  name: string,
  value: ts.Expression,
  options: { exported?: boolean; type?: ts.TypeNode; doc?: readonly string[] } = {},
): ts.VariableStatement {
  const node = f.createVariableStatement(
    options.exported ? [exportModifier()] : undefined,
    f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, options.type, value)], ts.NodeFlags.Const),
  );
  return options.doc ? withDoc(node, options.doc) : node;
}

/** `import { a, type B } from 'x';` or `import type * as T from 'x';` */
export function importDecl(from: string, names: readonly string[] | { namespace: string; typeOnly?: boolean }): ts.ImportDeclaration {
  if (!Array.isArray(names)) {
    const spec = names as { namespace: string; typeOnly?: boolean };
    return f.createImportDeclaration(
      undefined,
      f.createImportClause(spec.typeOnly ?? false, undefined, f.createNamespaceImport(id(spec.namespace))),
      str(from),
    );
  }
  const list = names as readonly string[];
  const allTypes = list.every((name) => name.startsWith('type '));
  const specifiers = list.map((name) => {
    const typeOnly = name.startsWith('type ');
    return f.createImportSpecifier(typeOnly && !allTypes, undefined, id(typeOnly ? name.slice(5) : name));
  });
  return f.createImportDeclaration(undefined, f.createImportClause(allTypes, undefined, f.createNamedImports(specifiers)), str(from));
}

/** `export { a, b } from 'x';` */
export function exportFrom(from: string, names: readonly string[]): ts.ExportDeclaration {
  const specifiers = names.map((name) => f.createExportSpecifier(false, undefined, id(name)));
  return f.createExportDeclaration(undefined, false, f.createNamedExports(specifiers), str(from));
}

/** Attaches a `/** ... *\/` comment; each entry is a paragraph or a `@tag` line. */
export function withDoc<T extends ts.Node>(node: T, lines: readonly string[]): T {
  const body = lines
    .flatMap((line) => line.split('\n'))
    .map((line) => ` * ${line.replaceAll('*/', '*\\/')}`.trimEnd())
    .join('\n');
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, `*\n${body}\n `, true);
}

/** Prints statements as a module, a blank line between them, indented by two spaces. */
export function printModule(statements: readonly ts.Statement[]): string {
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const file = ts.createSourceFile('generated.ts', '', ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const printed = statements
    .map((statement, index) => {
      const text = printer.printNode(ts.EmitHint.Unspecified, statement, file);
      const sameGroup = index > 0 && ts.isImportDeclaration(statement) && ts.isImportDeclaration(statements[index - 1] as ts.Statement);
      return `${index === 0 ? '' : sameGroup ? '\n' : '\n\n'}${text}`;
    })
    .join('');
  // The printer indents by four spaces; strings are printed on one line, so halving is safe.
  return `${printed.replace(/^((?: {4})+)/gm, (indent) => ' '.repeat(indent.length / 2))}\n`;
}
