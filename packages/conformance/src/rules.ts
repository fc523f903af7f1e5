// The rules the checks hold a server to, each cited by the page and section of the protocol's
// communication and compatibility rules it comes from, and each of one kind:
// P, a protocol rule, which can fail a run; C, one of this toolkit's choices (or HTTP's own
// rules) where the protocol is silent, which is reported as advice and never fails a run.

/** `P`: the protocol's own rule; `C`: a recommendation (a project choice, or HTTP's own rule). */
export type Kind = 'P' | 'C';

/** Where a rule is written down: a page of the protocol's rules and a section of it. */
export interface Citation {
  readonly page: 'communication' | 'compatibility' | 'definitions';
  readonly section: string;
}

export interface Rule extends Citation {
  /** The rule, as one line. */
  readonly text: string;
  readonly kind: Kind;
}

const apiCalls: Citation = { page: 'communication', section: 'API calls: POST /api/:api' };
const eventsSection: Citation = { page: 'communication', section: 'Events' };
const eventEndpoint: Citation = { page: 'communication', section: 'GET /event' };
const webhook: Citation = { page: 'communication', section: 'WebHook' };
const structures: Citation = { page: 'compatibility', section: 'Two kinds of structure' };
const versions: Citation = { page: 'compatibility', section: 'Versions' };
/** The definitions of the APIs, events and segments themselves (the spec of the declared version). */
const definitions: Citation = { page: 'definitions', section: 'the APIs, events and segments of the declared version' };

const p = (where: Citation, text: string): Rule => ({ ...where, text, kind: 'P' });
const c = (where: Citation, text: string): Rule => ({ ...where, text, kind: 'C' });

/** Every rule the suite checks, by key: its text, its kind (P or C) and its section of the protocol's communication page. */
export const rules = {
  token: p(apiCalls, 'a request without the configured access token in Authorization: Bearer gets HTTP 401'),
  notOffered: p(apiCalls, 'an API the server does not offer gets HTTP 404'),
  contentType: p(apiCalls, 'a POST whose Content-Type is missing or not application/json gets HTTP 415'),
  invalidInput: p(apiCalls, 'parameters that cannot be parsed get HTTP 200 with retcode -400'),
  emptyInput: p(apiCalls, 'an API without input takes the body {}'),
  unknownFields: p(structures, 'unknown extra input fields are ignored'),
  envelope: p(apiCalls, 'every answer is HTTP 200 with {"status","retcode","data"} (or a failure with a message)'),
  result: p(definitions, "a success's data is the API's output as the protocol defines it"),
  behaviour: p(definitions, 'an API does what its definition says'),
  forwardKept: p(definitions, 'a message sent with a forward segment reads back with a forward segment'),
  segmentsOnce: p(definitions, 'a received message holds each segment once, as its type defines it: markdown is not repeated as text'),
  version: p(versions, 'get_impl_info reports the Milky version the server speaks'),
  streamOpens: p(eventEndpoint, '/event opens with the token in Authorization or in ?access_token='),
  streamRefused: p(eventEndpoint, 'a missing or wrong token on /event is refused'),
  sseType: p(eventEndpoint, 'Server-Sent Events are served as Content-Type: text/event-stream'),
  sseName: p(eventEndpoint, 'each SSE event is sent as event: milky_event with its JSON on data:'),
  textFrames: p(eventEndpoint, 'each WebSocket event is one text frame holding the JSON'),
  eventShape: p(eventsSection, 'every event is {time, self_id, event_type, data} with data as its type defines it'),
  eventHappens: p(definitions, 'an event is pushed when what it describes happens'),
  webhookPush: p(webhook, 'each WebHook push is a POST of application/json carrying the Bearer token'),
  charset: c(apiCalls, 'application/json with parameters such as charset=utf-8 is accepted'),
  order: c(apiCalls, 'the checks run in the order 401, 404, 405, 415, 413, -400, -403'),
  methodNotAllowed: c(apiCalls, 'a method other than POST gets HTTP 405 with Allow: POST'),
  bodyLimit: c(apiCalls, 'a body over the configured limit gets HTTP 413'),
  fieldNamed: c(apiCalls, 'the -400 message names the field path and what was expected'),
  h2c: c(apiCalls, 'only Upgrade: websocket on GET /event is an upgrade; other Upgrade headers are plain requests'),
  refusal401: c(eventEndpoint, 'a refused /event answers HTTP 401 before any upgrade'),
} as const satisfies Record<string, Rule>;

/**
 * A rule of the definitions, cited by the API or event type a check is named for (its first word,
 * such as `get_friend_list` in "get_friend_list" or `group_mute` in "group_mute arrives…").
 */
export function definedBy(rule: Rule, name: string): Rule {
  const item = /^[a-z_]+/.exec(name)?.[0];
  return rule.page === 'definitions' && item && item.includes('_') ? { ...rule, section: item } : rule;
}

const pages: Record<Citation['page'], string> = {
  communication: 'communication rules',
  compatibility: 'compatibility rules',
  definitions: 'protocol definitions',
};

/** "communication rules § API calls: POST /api/:api". */
export function cite(rule: Citation): string {
  return `${pages[rule.page]} § ${rule.section}`;
}
