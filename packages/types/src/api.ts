// Helper types over the generated registries, and the API- and event-level functions built on them.

import { applyDefaults } from './defaults.ts';
import { apis, events, incomingSegments } from './generated/registry.ts';
import { Event as EventSchema } from './generated/schemas.ts';
import type {
  ApiMap,
  Event,
  EventDataMap,
  IncomingMessage,
  IncomingSegment,
  IncomingSegmentDataMap,
  OutgoingSegment,
  OutgoingSegmentDataMap,
  UnknownEvent,
  UnknownIncomingSegment,
} from './generated/types.ts';
import type { MilkySchema } from './schema.ts';
import { type ValidationMode, type Validator, validator } from './validation/compile.ts';

/** The name of an API: `POST /api/<name>`. */
export type ApiName = keyof ApiMap;
/** An API category: `system`, `message`, `friend`, `group` or `file`. */
export type ApiCategory = ApiMap[ApiName]['category'];
/** The APIs of one category. */
export type ApiNameOf<C extends ApiCategory> = { [N in ApiName]: ApiMap[N]['category'] extends C ? N : never }[ApiName];
/** The APIs that only read, which a client may retry after a failure. */
export type ReadOnlyApiName = { [N in ApiName]: ApiMap[N]['readOnly'] extends true ? N : never }[ApiName];
/** The parameters an app sends to an API. */
export type ApiInput<N extends ApiName> = ApiMap[N]['input'];
/** The parameters a handler receives: {@link ApiInput} with defaults applied. */
export type ApiResolvedInput<N extends ApiName> = ApiMap[N]['resolvedInput'];
/** `data` of a successful response of an API. */
export type ApiOutput<N extends ApiName> = ApiMap[N]['output'];

/** The type of an event: `message_receive`, `group_nudge`, ... */
export type EventType = keyof EventDataMap;
/** The event of one type, narrowed by `event_type`. */
export type EventOf<T extends EventType> = Extract<Event, { event_type: T }>;
/** The payload (`data`) of an event type. */
export type EventData<T extends EventType> = EventDataMap[T];

/** The type of a received segment: `text`, `image`, ... */
export type IncomingSegmentType = keyof IncomingSegmentDataMap;
/** The received segment of one type. */
export type IncomingSegmentOf<T extends IncomingSegmentType> = Extract<IncomingSegment, { type: T }>;
/** The type of a segment an app sends. */
export type OutgoingSegmentType = keyof OutgoingSegmentDataMap;
/** The outgoing segment of one type. */
export type OutgoingSegmentOf<T extends OutgoingSegmentType> = Extract<OutgoingSegment, { type: T }>;
/** The scene of a message: `friend`, `group` or `temp`. */
export type MessageScene = IncomingMessage['message_scene'];
/** The received message of one scene. */
export type IncomingMessageOf<S extends MessageScene> = Extract<IncomingMessage, { message_scene: S }>;

/** Whether `name` is an API of the protocol. */
export function isApiName(name: string): name is ApiName {
  return Object.hasOwn(apis, name);
}

/** Whether an event (validated leniently) is of a type this version defines. */
export function isKnownEvent(event: Event | UnknownEvent): event is Event {
  return Object.hasOwn(events, event.event_type);
}

/** Whether a received segment (validated leniently) is of a type this version defines. */
export function isKnownSegment(segment: IncomingSegment | UnknownIncomingSegment): segment is IncomingSegment {
  return Object.hasOwn(incomingSegments, segment.type);
}

/** The validators of an API's parameters and of its result's `data`. */
export function apiValidators<N extends ApiName>(
  name: N,
  mode: ValidationMode = 'strict',
): { input: Validator<ApiInput<N>>; output: Validator<ApiOutput<N>> } {
  const api = apis[name] as { input: MilkySchema<ApiInput<N>>; output: MilkySchema<ApiOutput<N>> };
  return { input: validator(api.input, mode), output: validator(api.output, mode) };
}

/**
 * Applies an API's defaults to its parameters in place (a field left out or `null` takes its
 * default) and returns them typed as a handler receives them. Validate them first.
 */
export function resolveInput<N extends ApiName>(name: N, input: ApiInput<N>): ApiResolvedInput<N> {
  const schema = apis[name].input as MilkySchema<ApiInput<N>>;
  return applyDefaults(schema, input) as unknown as ApiResolvedInput<N>;
}

/** The validator of pushed events. In lenient mode a value may be an {@link UnknownEvent}. */
export function eventValidator(mode: 'lenient'): Validator<Event | UnknownEvent>;
export function eventValidator(mode?: 'strict'): Validator<Event>;
export function eventValidator(mode: ValidationMode): Validator<Event | UnknownEvent>;
export function eventValidator(mode: ValidationMode = 'strict'): Validator<Event | UnknownEvent> {
  return validator<Event | UnknownEvent>(EventSchema, mode);
}
