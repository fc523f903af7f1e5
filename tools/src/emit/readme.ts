// Emits src/generated/README.md, which tells readers not to edit the folder.

import { type Emitter, header } from './emitter.ts';

export const readmeEmitter: Emitter = {
  name: 'readme',
  emit(model) {
    const content = `<!-- ${header(model)} -->

# Generated code: do not edit

Everything in this folder is written by \`@milky/generator\` (\`tools/\`) from the protocol spec in
\`spec/\`. To change a type, an API or an event, edit \`spec/\` and run \`pnpm generate\` at the
repository root; see \`spec/README.md\`. CI regenerates and fails when the result differs from
what is committed.

| file | holds |
|---|---|
| \`types.ts\` | static types with TSDoc: every struct, union, \`…DataMap\`, \`…Resolved\` and \`ApiMap\`; beside each declaration's type, its schema under the same name |
| \`schemas.ts\` | per declaration a TypeBox schema, imported from a module of only the declarations it refers to (so that bundles keep only the schemas they use) |
| \`version.ts\` | \`milkyVersion\` and \`specVersion\`, importing nothing (\`@milky/types/version\`, for a command's \`--help\`) |
| \`registry.ts\` | \`milkyVersion\`, \`apis\` (${model.apis.length} APIs), one registry per union, such as \`events\`, \`retcodes\` and \`httpAnswers\` |
| \`envelope.ts\` | the envelope's shapes (\`${model.wire.envelope.shapes.map((shape) => shape.name).join('`, `')}\`, \`${model.wire.envelope.name}\`) and \`readEnvelope\`, their one reader |

The package root also holds two generated documents: \`schema.json\` (JSON Schema 2020-12 of every
declaration) and \`openapi.json\` (OpenAPI 3.1 of the HTTP API).
`;
    return [{ path: 'src/generated/README.md', content }];
  },
};
