// Emits openapi.json: an OpenAPI 3.1 document of the HTTP API (`POST /api/<name>` with the request
// and response envelopes), the event stream on `GET /event`, and the WebHook push.

import type { HttpAnswer, Model } from '../model/ir.ts';
import { type Emitter, jsonFile } from './emitter.ts';
import { declSchema, envelopeShapeSchema, envelopeShapeSchemas, type JsonSchema } from './json-schema.ts';

const ref = (name: string) => `#/components/schemas/${name}`;
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** The HTTP answers other than 200, as reusable responses, with `x-kind` P (the protocol states it) or C (a choice of this toolkit). */
function errorResponses(model: Model): Record<string, unknown> {
  return Object.fromEntries(
    model.wire.answers.map((answer) => [
      answer.name,
      {
        description: answer.description,
        'x-kind': answer.kind,
        ...(answer.allow === undefined ? {} : { headers: { Allow: { schema: { type: 'string', const: answer.allow } } } }),
      },
    ]),
  );
}

const answerRefs = (answers: readonly HttpAnswer[]) =>
  Object.fromEntries(answers.map((answer) => [String(answer.status), { $ref: `#/components/responses/${answer.name}` }]));

/**
 * The body of an API's HTTP 200 answer: each shape of the envelope, the API's result as `data` of
 * those that carry one, the others by reference to their component.
 */
function envelopeOf(model: Model, output: string): JsonSchema {
  return {
    oneOf: model.wire.envelope.shapes.map((shape) =>
      shape.fields.some((field) => field.type.kind === 'object')
        ? envelopeShapeSchema(shape, { data: { $ref: ref(output) } })
        : { $ref: ref(shape.name) },
    ),
  };
}

export const openapiEmitter: Emitter = {
  name: 'openapi',
  emit(model) {
    const paths: Record<string, unknown> = {};
    for (const api of model.apis) {
      paths[`/api/${api.name}`] = {
        post: {
          operationId: api.name,
          summary: api.description,
          tags: [api.category],
          'x-since': api.since,
          'x-read-only': api.readOnly,
          requestBody: {
            required: true,
            description: 'The parameters; an API without parameters still takes `{}`.',
            content: json({ $ref: ref(api.input) }),
          },
          responses: {
            '200': {
              description: `The call was handled; \`${model.wire.envelope.discriminator}\` tells whether it succeeded.`,
              content: json(envelopeOf(model, api.output)),
            },
            ...answerRefs(model.wire.answers),
          },
        },
      };
    }
    paths['/event'] = {
      get: {
        operationId: 'event',
        summary:
          'The event stream: a WebSocket when the request upgrades (`Upgrade: websocket`), one event per text frame; otherwise Server-Sent Events, each `event: milky_event` with the event JSON as `data`.',
        parameters: [
          {
            name: 'access_token',
            in: 'query',
            required: false,
            description: 'The access token, for clients that cannot set the `Authorization` header.',
            schema: { type: 'string' },
          },
        ],
        security: [{ bearer: [] }, { queryToken: [] }],
        responses: {
          '101': { description: 'Switched to WebSocket; each text frame holds one event.' },
          '200': {
            description: 'A Server-Sent Events stream; each `data` holds one event.',
            content: {
              'text/event-stream': {
                schema: { type: 'string', description: 'Messages `event: milky_event` whose `data` is one event as JSON.' },
                'x-item-schema': { $ref: ref(model.event) },
              },
            },
          },
          ...answerRefs(model.wire.answers.filter((answer) => answer.event)),
        },
      },
    };
    const schemas = Object.fromEntries([...model.decls.values()].map((decl) => [decl.name, declSchema(model, decl, ref)]));
    for (const decl of model.decls.values()) {
      if (decl.kind !== 'union' || decl.layout !== 'inline') continue;
      const mapping = Object.fromEntries(decl.variants.map((variant) => [variant.tag, ref(variant.type)]));
      schemas[decl.name] = { ...schemas[decl.name], discriminator: { propertyName: decl.discriminator, mapping } };
    }
    return [
      jsonFile(
        model,
        'openapi.json',
        {
          openapi: '3.1.0',
          info: {
            title: 'Milky',
            version: model.version,
            description:
              'The Milky QQ-bot protocol. Apps call APIs as `POST /api/<name>` with a JSON body and receive events on `/event` or by WebHook. Every path may sit under a prefix the server configures.',
          },
          servers: [{ url: 'http://127.0.0.1:3000', description: 'A protocol side on this machine' }],
          tags: model.categories.map((category) => ({ name: category.name, description: category.description })),
          security: [{ bearer: [] }, {}],
          paths,
          webhooks: {
            event: {
              post: {
                summary: 'Each event, pushed to every configured WebHook URL, with the configured token as a Bearer token.',
                requestBody: { required: true, content: json({ $ref: ref(model.event) }) },
                responses: { '2XX': { description: 'The app took the event.' } },
              },
            },
          },
          components: {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer', description: 'The access token, when the server configures one.' },
              queryToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The access token, on `/event` only.' },
            },
            responses: errorResponses(model),
            schemas: {
              ...schemas,
              ...envelopeShapeSchemas(model),
            },
          },
        },
        'x-comment',
      ),
    ];
  },
};
