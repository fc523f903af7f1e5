// Emits src/generated/version.ts (the protocol's and the spec's versions) and src/generated/registry.ts:
// the versions again, the API registry, and one registry per union (tag → version, description,
// schema): `events`, `incomingSegments`, `outgoingSegments`, ...

import type ts from 'typescript';
import type { UnionDecl } from '../model/ir.ts';
import { type Emitter, lowerCamel, tsFile } from './emitter.ts';
import {
  access,
  constant,
  exportFrom,
  factory as f,
  importDecl,
  json,
  object,
  printModule,
  propertyName,
  str,
  withDoc,
} from './printer.ts';

/** Name of the registry of a union: `IncomingSegment` → `incomingSegments`. */
export function registryName(union: UnionDecl): string {
  return `${lowerCamel(union.name)}s`;
}

const asConst = (expression: ts.Expression) => f.createAsExpression(expression, f.createTypeReferenceNode('const'));

export const registryEmitter: Emitter = {
  name: 'registry',
  emit(model) {
    const unions = [...model.decls.values()].filter((decl): decl is UnionDecl => decl.kind === 'union');
    // The versions sit in a module of their own, which imports nothing: a command can print them
    // (`--help`) without building a schema (@milky/types/version).
    const versions: ts.Statement[] = [
      constant('milkyVersion', str(model.version), {
        exported: true,
        doc: ['Version of the Milky protocol this package describes (`major.minor`), as `get_impl_info` reports it.'],
      }),
      constant('specVersion', str(model.specVersion), {
        exported: true,
        doc: ['Version of the spec the package was generated from.'],
      }),
    ];
    const statements: ts.Statement[] = [
      importDecl('./types.ts', { namespace: 'S' }),
      exportFrom('./version.ts', ['milkyVersion', 'specVersion']),
      constant('apiCategories', asConst(object(model.categories.map((category) => [category.name, str(category.description)] as const))), {
        exported: true,
        doc: ['The API categories, in protocol order, with what each covers.'],
      }),
      constant(
        'apis',
        asConst(
          object(
            model.apis.map(
              (api) =>
                [
                  api.name,
                  object([
                    ['name', str(api.name)],
                    ['category', str(api.category)],
                    ['since', str(api.since)],
                    ['readOnly', api.readOnly ? f.createTrue() : f.createFalse()],
                    ['description', str(api.description)],
                    ['input', access(`S.${api.input}`)],
                    ['output', access(`S.${api.output}`)],
                  ]),
                ] as const,
            ),
          ),
        ),
        {
          exported: true,
          doc: [
            'Every API, by name (`POST /api/<name>`): its category, the version it appeared in, whether it only',
            'reads (so that a failed call may be retried), what it does, and the schemas of its parameters',
            '(`input`) and of `data` in a successful response (`output`).',
          ],
        },
      ),
      ...unions.map((decl) =>
        constant(
          registryName(decl),
          asConst(
            object(
              decl.variants.map(
                (variant) =>
                  [
                    variant.tag,
                    object([
                      ['tag', str(variant.tag)],
                      ['since', str(variant.since)],
                      ['description', str(variant.description)],
                      [decl.layout === 'tagged' ? 'data' : 'schema', access(`S.${variant.type}`)],
                    ]),
                  ] as const,
              ),
            ),
          ),
          {
            exported: true,
            doc: [
              `The variants of {@link S.${decl.name}}, by \`${decl.discriminator}\`: the version each appeared in, what it`,
              decl.layout === 'tagged' ? 'means, and the schema of its payload (`data`).' : 'means, and its schema.',
            ],
          },
        ),
      ),
      constant(
        'retcodes',
        asConst(
          f.createObjectLiteralExpression(
            model.wire.retcodes.map((retcode) =>
              withDoc(f.createPropertyAssignment(propertyName(retcode.name), json(retcode.code)), [
                retcode.kind === 'P' ? retcode.description : `${retcode.description} (a convention of this toolkit)`,
              ]),
            ),
            true,
          ),
        ),
        {
          exported: true,
          doc: ['The retcodes of a failed call, by name; implementations define others for their own failures.'],
        },
      ),
      constant(
        'httpAnswers',
        asConst(
          f.createObjectLiteralExpression(
            model.wire.answers.map((answer) =>
              withDoc(
                f.createPropertyAssignment(
                  propertyName(answer.name),
                  object(
                    [
                      ['status', json(answer.status)],
                      ...(answer.allow === undefined ? [] : [['allow', str(answer.allow)] as const]),
                      ['event', answer.event ? f.createTrue() : f.createFalse()],
                    ],
                    false,
                  ),
                ),
                [answer.kind === 'P' ? answer.description : `${answer.description} (a choice of this toolkit)`],
              ),
            ),
            true,
          ),
        ),
        {
          exported: true,
          doc: [
            'The HTTP answers other than 200, by name: the status, the methods named in `Allow` when the answer',
            'carries that header, and whether `GET /event` gives it too.',
          ],
        },
      ),
    ];
    return [
      tsFile(model, 'src/generated/version.ts', printModule(versions)),
      tsFile(model, 'src/generated/registry.ts', printModule(statements)),
    ];
  },
};
