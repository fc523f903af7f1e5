// Converts declarations to JSON Schema 2020-12, and emits the bundle `schema.json`.
// The OpenAPI emitter uses the same conversion with its own reference prefix.

import { firstVersion } from '../model/build.ts';
import type { Decl, EnvelopeShape, Field, Model, TypeNode } from '../model/ir.ts';
import { type Emitter, jsonFile } from './emitter.ts';
import { unionMetadataKey } from './typebox.ts';

export type JsonSchema = Record<string, unknown>;

function typeSchema(type: TypeNode, ref: (name: string) => string): JsonSchema {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return { type: 'integer', minimum: type.minimum, maximum: type.maximum };
    case 'literal':
      return { type: 'string', const: type.value };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'array':
      return { type: 'array', items: typeSchema(type.items, ref) };
    case 'ref':
      return { $ref: ref(type.name) };
  }
}

function since(version: string, parent?: string): JsonSchema {
  return version !== (parent ?? firstVersion) ? { 'x-since': version } : {};
}

function fieldSchema(field: Field, ownerSince: string, ref: (name: string) => string): JsonSchema {
  const base = typeSchema(field.type, ref);
  const simple = field.type.kind === 'string' || field.type.kind === 'boolean';
  const type = !field.nullable ? base : simple ? { ...base, type: [base.type, 'null'] } : { anyOf: [base, { type: 'null' }] };
  return {
    description: field.description,
    ...(field.default !== undefined ? { default: field.default } : {}),
    ...since(field.since, ownerSince),
    ...type,
  };
}

function objectSchema(fields: readonly Field[], ownerSince: string, closed: boolean, ref: (name: string) => string): JsonSchema {
  const required = fields.filter((field) => !field.optional).map((field) => field.name);
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((field) => [field.name, fieldSchema(field, ownerSince, ref)])),
    ...(required.length > 0 ? { required } : {}),
    ...(closed ? { additionalProperties: false } : {}),
  };
}

/** The JSON Schema of a declaration; `ref` turns a declaration name into a `$ref`. */
export function declSchema(model: Model, decl: Decl, ref: (name: string) => string): JsonSchema {
  if (decl.kind === 'scalar') {
    return { description: decl.description, type: 'integer', minimum: decl.minimum, maximum: decl.maximum };
  }
  const closed = model.directions.get(decl.name) === 'output';
  const head = { description: decl.description, ...since(decl.since) };
  if (decl.kind === 'struct') return { ...head, ...objectSchema(decl.fields, decl.since, closed, ref) };
  const metadata = {
    discriminator: decl.discriminator,
    layout: decl.layout,
    extensible: decl.extensible,
    envelope: decl.envelope.map((field) => field.name),
  };
  const variants = decl.variants.map((variant) => {
    if (decl.layout === 'inline') return { $ref: ref(variant.type) };
    const tag: Field = {
      name: decl.discriminator,
      description: 'Which variant this is.',
      type: { kind: 'literal', value: variant.tag },
      optional: false,
      nullable: false,
      default: undefined,
      since: decl.since,
    };
    const data: Field = { ...tag, name: 'data', description: 'Payload of the variant.', type: { kind: 'ref', name: variant.type } };
    return {
      description: variant.description,
      ...since(variant.since, decl.since),
      ...objectSchema([tag, ...decl.envelope, data], decl.since, closed, ref),
    };
  });
  return { ...head, oneOf: variants, [unionMetadataKey]: metadata };
}

/**
 * The JSON Schema of a shape of the envelope; `data` gives the schema of its object fields (the
 * API's result), an open object when absent. `retcodes` describes a non-zero integer field.
 */
export function envelopeShapeSchema(shape: EnvelopeShape, options: { data?: JsonSchema; retcodes?: string } = {}): JsonSchema {
  const fieldSchema = ({ description, type }: EnvelopeShape['fields'][number]): JsonSchema => {
    switch (type.kind) {
      case 'literal':
        return { description, type: typeof type.value === 'string' ? 'string' : 'integer', const: type.value };
      case 'integer':
        return {
          description: [description, ...(options.retcodes ? [options.retcodes] : [])].join(' '),
          type: 'integer',
          ...(type.nonZero ? { not: { const: 0 } } : {}),
        };
      case 'string':
        return { description, type: 'string' };
      case 'object':
        return options.data ? { description, ...options.data } : { description, type: 'object' };
    }
  };
  return {
    description: shape.description,
    type: 'object',
    properties: Object.fromEntries(shape.fields.map((field) => [field.name, fieldSchema(field)])),
    required: shape.fields.map((field) => field.name),
  };
}

/** The retcodes the spec names, for the description of a failure's retcode. */
function retcodesText(model: Model): string {
  const codes = model.wire.retcodes.map((retcode) => `${retcode.code}: ${retcode.description}`);
  return [...codes, 'Other values are defined by the implementation.'].join(' ');
}

/** The envelope's shapes as named schemas, each with the retcodes described: for `$defs` and OpenAPI components. */
export function envelopeShapeSchemas(model: Model): Record<string, JsonSchema> {
  const retcodes = retcodesText(model);
  return Object.fromEntries(model.wire.envelope.shapes.map((shape) => [shape.name, envelopeShapeSchema(shape, { retcodes })]));
}

export const jsonSchemaEmitter: Emitter = {
  name: 'json-schema',
  emit(model) {
    const ref = (name: string) => `#/$defs/${name}`;
    return [
      jsonFile(model, 'schema.json', {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `urn:milky:protocol:${model.version}`,
        title: `Milky protocol ${model.version}`,
        description:
          'Every declaration of the Milky protocol. `x-milky-apis` lists the HTTP APIs with the declarations of their parameters and results; `x-milky-event` names the union of pushed events; `x-milky-envelope` the shapes of every answer with HTTP 200.',
        'x-milky-version': model.version,
        'x-milky-apis': Object.fromEntries(
          model.apis.map((api) => [
            api.name,
            {
              category: api.category,
              since: api.since,
              readOnly: api.readOnly,
              description: api.description,
              input: { $ref: ref(api.input) },
              output: { $ref: ref(api.output) },
            },
          ]),
        ),
        'x-milky-event': { $ref: ref(model.event) },
        'x-milky-envelope': {
          description: model.wire.envelope.description,
          discriminator: model.wire.envelope.discriminator,
          oneOf: model.wire.envelope.shapes.map((shape) => ({ $ref: ref(shape.name) })),
        },
        $defs: {
          ...Object.fromEntries([...model.decls.values()].map((decl) => [decl.name, declSchema(model, decl, ref)])),
          ...envelopeShapeSchemas(model),
        },
      }),
    ];
  },
};
