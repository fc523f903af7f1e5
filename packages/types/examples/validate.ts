import { apiValidators, eventValidator, isKnownEvent, resolveInput } from '@milky/types';

// A request body, checked the way a protocol side checks it, then given its defaults.
const { input } = apiValidators('send_group_message');
const body: unknown = { group_id: 123456, message: [{ type: 'face', data: { face_id: '14' } }] };
if (input.check(body)) {
  const params = resolveInput('send_group_message', body);
  console.log(params.message[0]); // { type: 'face', data: { face_id: '14', is_large: false } }
}
console.log(input.issues({ group_id: 42, message: [] })[0]?.message);
// group_id: expected an integer from 10001 to 4294967295, got the number 42

// An event as an app receives it: a type this version does not know still gets through.
const event = eventValidator('lenient').parse({ time: 1763900000, self_id: 10001, event_type: 'x_unknown_event', data: {} });
console.log(isKnownEvent(event) ? event.event_type : `not known yet: ${event.event_type}`); // not known yet: x_unknown_event
