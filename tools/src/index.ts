// The generator: spec → model → emitters → files of @milky/types.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emitter, OutputFile } from './emit/emitter.ts';
import { envelopeEmitter } from './emit/envelope.ts';
import { jsonSchemaEmitter } from './emit/json-schema.ts';
import { openapiEmitter } from './emit/openapi.ts';
import { readmeEmitter } from './emit/readme.ts';
import { registryEmitter } from './emit/registry.ts';
import { typeboxEmitter } from './emit/typebox.ts';
import { typesEmitter } from './emit/types.ts';
import { buildModel } from './model/build.ts';
import type { Model } from './model/ir.ts';
import { readSpec } from './model/read-spec.ts';

export type { Emitter, OutputFile } from './emit/emitter.ts';
export { buildModel, SpecError } from './model/build.ts';
export type * from './model/ir.ts';
export { readSpec } from './model/read-spec.ts';

/** Every output, in the order they are written. */
export const emitters: readonly Emitter[] = [
  typesEmitter,
  typeboxEmitter,
  registryEmitter,
  envelopeEmitter,
  readmeEmitter,
  jsonSchemaEmitter,
  openapiEmitter,
];

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const defaultPaths = {
  /** The spec's entry file, which declares `Protocol`. */
  spec: join(repositoryRoot, 'spec', 'src', 'index.ts'),
  /** The spec package, whose version the generated headers name. */
  specPackage: join(repositoryRoot, 'spec', 'package.json'),
  /** The package the outputs go into. */
  output: join(repositoryRoot, 'packages', 'types'),
};

/** Reads the spec into the model. */
export function loadModel(spec = defaultPaths.spec, specPackage = defaultPaths.specPackage): Model {
  const { version } = JSON.parse(readFileSync(specPackage, 'utf8')) as { version: string };
  return buildModel(readSpec(spec), version);
}

/** Runs every emitter on the model. */
export function emitAll(model: Model, selected: readonly Emitter[] = emitters): OutputFile[] {
  const files = selected.flatMap((emitter) => emitter.emit(model));
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two emitters write ${file.path}`);
    seen.add(file.path);
  }
  return files;
}
