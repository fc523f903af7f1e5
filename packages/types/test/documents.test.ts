// The JSON documents the package ships: schema.json agrees with the validators value for value,
// and openapi.json is a valid OpenAPI 3.1 document.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator as OpenApiValidator } from '@seriousme/openapi-schema-validator';
import type { TSchema } from '@sinclair/typebox';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { apis, Event, events, readEnvelope, validator } from '../src/index.ts';
import { mutate, sample, slots } from './samples.ts';

const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', name), 'utf8'));
const bundle = read('schema.json');
const openapi = read('openapi.json');

describe('schema.json', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  for (const keyword of ['x-since', 'x-milky-union', 'x-milky-apis', 'x-milky-event', 'x-milky-version', 'x-milky-envelope'])
    ajv.addKeyword(keyword);
  ajv.addSchema(bundle);
  const compile = (name: string) => ajv.compile({ $ref: `${bundle.$id}#/$defs/${name}` });

  const subjects: Array<{ name: string; definition: string; schema: TSchema; tag?: string }> = [
    ...Object.values(apis).flatMap((api) => [
      { name: `${api.name} input`, definition: api.input.$ref as string, schema: api.input as TSchema },
      { name: `${api.name} output`, definition: api.output.$ref as string, schema: api.output as TSchema },
    ]),
    ...Object.keys(events).map((tag) => ({ name: `event ${tag}`, definition: 'Event', schema: Event as TSchema, tag })),
  ];

  test.each(subjects)(
    '$name: JSON Schema and the compiled validator agree on samples and every mutation',
    ({ definition, schema, tag }) => {
      const json = compile(definition);
      const strict = validator(schema as never);
      const full = sample(schema, { full: true, ...(tag ? { tag } : {}) });
      const values = [
        full,
        sample(schema, { full: false, ...(tag ? { tag } : {}) }),
        ...slots(schema, full).map((slot) => mutate(full, slot)),
      ];
      for (const value of values) expect(json(value), JSON.stringify(value)).toBe(strict.check(value));
      expect(json(full)).toBe(true);
    },
  );

  test("the envelope's shapes accept what readEnvelope reads as a shape, and refuse what it finds invalid", () => {
    const shapes = (bundle['x-milky-envelope'].oneOf as Array<{ $ref: string }>).map((shape) =>
      compile(shape.$ref.split('/').pop() as string),
    );
    const bodies = [
      { status: 'ok', retcode: 0, data: { a: 1 } },
      { status: 'ok', retcode: 0, data: {} },
      { status: 'ok', retcode: 1, data: {} },
      { status: 'ok', retcode: 0, data: [] },
      { status: 'ok', retcode: 0 },
      { status: 'failed', retcode: -403, message: 'offline' },
      { status: 'failed', retcode: 0, message: 'x' },
      { status: 'failed', retcode: 1.5, message: 'x' },
      { status: 'failed', retcode: '-1', message: 'x' },
      { status: 'fine', retcode: 0 },
    ];
    for (const body of bodies) {
      const matches = shapes.filter((shape) => shape(body)).length;
      expect(matches, JSON.stringify(body)).toBe(readEnvelope(JSON.stringify(body)).status === 'invalid' ? 0 : 1);
    }
  });

  test('lists every API with its declarations', () => {
    expect(Object.keys(bundle['x-milky-apis'])).toEqual(Object.keys(apis));
    expect(bundle['x-milky-apis'].send_group_message.input).toEqual({ $ref: '#/$defs/SendGroupMessageInput' });
  });
});

describe('openapi.json', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const result = await new OpenApiValidator().validate(openapi);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('has a POST path for each API and the event stream', () => {
    const posts = Object.keys(openapi.paths).filter((path) => openapi.paths[path].post);
    expect(posts.map((path) => path.replace('/api/', '')).sort()).toEqual(Object.keys(apis).sort());
    expect(openapi.paths['/event'].get.responses['200'].content['text/event-stream']).toBeDefined();
  });
});
