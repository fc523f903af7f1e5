// The real spec: complete, and equal in every fact to the protocol reference.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { jsonSchemaEmitter } from '../src/emit/json-schema.ts';
import { loadModel, type Model } from '../src/index.ts';
import { getUnion } from '../src/model/ir.ts';
import { emitted } from './helpers.ts';

interface Variants {
  oneOf: Array<{ properties: Record<string, { const?: string }> }>;
}

/** The protocol's facts (spec/README.md says where they come from and how to update them). */
interface Reference {
  milkyVersion: string;
  /** The version each API, event type and segment type appeared in, for those after 1.0. */
  history: Record<'apis' | 'events' | 'incomingSegments' | 'outgoingSegments', Record<string, string>>;
  apis: Record<string, { category: string; input: string | null; output: string | null }>;
  schemas: Record<string, Record<string, unknown>> & { Event: Variants; IncomingSegment: Variants; OutgoingSegment: Variants };
}

const factsPath = join(import.meta.dirname, '..', '..', 'spec', 'reference', 'milky.facts.json');
const reference = JSON.parse(readFileSync(factsPath, 'utf8')) as Reference;

/** What one list has that the other lacks, by name: `{ onlyInSpec, onlyInFacts }`. */
function difference(spec: readonly string[], facts: readonly string[]) {
  return { onlyInSpec: spec.filter((name) => !facts.includes(name)), onlyInFacts: facts.filter((name) => !spec.includes(name)) };
}

const none = { onlyInSpec: [], onlyInFacts: [] };

/** The tags of a tagged union of the reference. */
function tags(union: Variants, key: string): string[] {
  return union.oneOf.map((variant) => String(variant.properties[key]?.const)).sort();
}

function tagsOf(model: Model, union: string): string[] {
  return getUnion(model, union)
    .variants.map((variant) => variant.tag)
    .sort();
}

let model: Model;
let bundle: { $defs: Record<string, unknown> };
beforeAll(() => {
  model = loadModel();
  bundle = JSON.parse(emitted(jsonSchemaEmitter, model, 'schema.json'));
});

describe('the spec is complete', () => {
  test('the APIs of the reference, each in its category, categories in order', () => {
    expect(
      difference(
        model.apis.map((api) => api.name),
        Object.keys(reference.apis),
      ),
      'APIs',
    ).toEqual(none);
    for (const api of model.apis) expect(api.category, api.name).toBe(reference.apis[api.name]?.category);
    const categories = [...new Set(Object.values(reference.apis).map((api) => api.category))];
    expect(model.categories.map((category) => category.name)).toEqual(categories);
  });

  test('the event types, incoming and outgoing segment types of the reference', () => {
    expect(difference(tagsOf(model, model.event), tags(reference.schemas.Event, 'event_type')), 'event types').toEqual(none);
    expect(difference(tagsOf(model, 'IncomingSegment'), tags(reference.schemas.IncomingSegment, 'type')), 'incoming segments').toEqual(
      none,
    );
    expect(difference(tagsOf(model, 'OutgoingSegment'), tags(reference.schemas.OutgoingSegment, 'type')), 'outgoing segments').toEqual(
      none,
    );
  });

  test('the read-only APIs are exactly those that get something', () => {
    const readOnly = model.apis.filter((api) => api.readOnly).map((api) => api.name);
    expect(readOnly.length).toBeGreaterThan(0);
    expect(readOnly.every((name) => name.startsWith('get_'))).toBe(true);
    expect(model.apis.filter((api) => !api.readOnly).some((api) => api.name.startsWith('get_'))).toBe(false);
  });

  test('the protocol version is the reference one', () => {
    expect(model.version).toBe(reference.milkyVersion);
  });

  test('APIs, event types and segment types appeared in the versions the protocol history gives', () => {
    const after = (items: ReadonlyArray<{ name: string; since: string }>): Record<string, string> =>
      Object.fromEntries(items.filter((item) => item.since !== '1.0').map((item) => [item.name, item.since]));
    const variants = (union: string) => getUnion(model, union).variants.map((variant) => ({ name: variant.tag, since: variant.since }));
    expect(after(model.apis)).toEqual(reference.history.apis);
    expect(after(variants(model.event))).toEqual(reference.history.events);
    expect(after(variants('IncomingSegment'))).toEqual(reference.history.incomingSegments);
    expect(after(variants('OutgoingSegment'))).toEqual(reference.history.outgoingSegments);
  });
});

/**
 * Reduces a schema to its facts, so that ours and the reference compare: descriptions, versions and
 * union metadata go; `type: [T, "null"]` becomes `anyOf`; references become bare names; the order of
 * `required` and `enum` does not matter.
 */
function facts(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(facts);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key.startsWith('x-') || key === '$schema' || key === '$id') continue;
    if (key === '$ref') out.$ref = String(value).replace(/^#\/(\$defs|schemas)\//, '');
    else if (key === 'required' || key === 'enum') out[key] = [...(value as string[])].sort();
    else out[key] = facts(value);
  }
  if (Array.isArray(out.type) && out.type.includes('null')) {
    const { type, ...rest } = out;
    const other = (type as string[]).filter((t) => t !== 'null');
    return { anyOf: [{ ...rest, type: other[0] }, { type: 'null' }] };
  }
  return out;
}

/** Where the reference is knowingly not followed, and why. */
const deviations: Record<string, (schema: Record<string, unknown>) => Record<string, unknown>> = {
  // The reference's converter lost the item type of this array (the authors' own schema drops bad
  // elements of `GroupNotification[]`, which JSON Schema cannot say); the protocol's field is that array.
  GetGroupNotificationsOutput: (schema) => ({
    ...schema,
    properties: {
      ...(schema.properties as object),
      notifications: { type: 'array', items: { $ref: 'GroupNotification' } },
    },
  }),
  // The reference states the bound of `limit` in its description ("at most 30"); the spec declares it
  // (`@minimum 1`, `@maximum 30`), so that validators check it.
  GetHistoryMessagesInput: (schema) => {
    const properties = schema.properties as Record<string, { anyOf: Array<Record<string, unknown>> }>;
    const limit = properties.limit as { anyOf: Array<Record<string, unknown>> };
    return {
      ...schema,
      properties: { ...properties, limit: { ...limit, anyOf: [{ ...limit.anyOf[0], minimum: 1, maximum: 30 }, ...limit.anyOf.slice(1)] } },
    };
  },
  // `default` here is the replacement the authors' parser puts in place of an unknown segment, not
  // a default of the wire format; receivers here keep unknown segments instead.
  IncomingSegment: ({ default: _replacement, ...schema }) => schema,
};

describe('the spec equals the reference in every fact', () => {
  test.each(Object.keys(reference.schemas))('%s', (name) => {
    const ours = facts(bundle.$defs[name]);
    const adjust = deviations[name] ?? ((schema) => schema);
    const theirs = adjust(facts(reference.schemas[name]) as Record<string, unknown>);
    expect(ours).toEqual(theirs);
  });

  test('APIs without input or output take and return the empty object', () => {
    for (const [name, api] of Object.entries(reference.apis)) {
      const ours = model.apis.find((candidate) => candidate.name === name);
      if (!ours) throw new Error(`missing ${name}`);
      if (api.input === null) expect(facts(bundle.$defs[ours.input])).toEqual({ type: 'object', properties: {} });
      else expect(ours.input).toBe(api.input);
      if (api.output === null) {
        expect(facts(bundle.$defs[ours.output])).toEqual({ type: 'object', properties: {}, additionalProperties: false });
      } else expect(ours.output).toBe(api.output);
    }
  });
});
