// pnpm bench: validations per second of @milky/types against the protocol authors' zod schemas
// (@saltify/milky-types, a dev dependency of this benchmark only), in the same run, on equal work:
// zod's parse checks, fills defaults and returns a new value, so it is set against our check plus
// defaults; each call starts from the body's text (JSON.parse), so that each gets a fresh value
// with its defaults missing, as a server receives it. A check alone is shown for what it is.

import * as zod from '@saltify/milky-types';
import { groupMessageEvent, sendGroupMessageInput } from '../../../bench/fixtures.ts';
import { formatRate, measure, quick, rateOf, report, setting, target } from '../../../bench/harness.ts';
import { apiValidators, applyDefaults, Event as EventSchema, eventValidator, resolveInput } from '../src/index.ts';

const sendInput = sendGroupMessageInput;
const receiveEvent = groupMessageEvent();

const send = apiValidators('send_group_message').input;
const strictEvent = eventValidator();
const lenientEvent = eventValidator('lenient');
if (!send.check(sendInput) || !strictEvent.check(receiveEvent) || !lenientEvent.check(receiveEvent)) {
  throw new Error('the benchmark samples must be valid');
}
if (!zod.SendGroupMessageInput.safeParse(sendInput).success || !zod.Event.safeParse(receiveEvent).success) {
  throw new Error('the benchmark samples must be valid for the zod schemas too');
}

const options = { rounds: setting('ROUNDS', 7, 3), milliseconds: setting('MS', 400, 200) };
const sendText = JSON.stringify(sendInput);
const eventText = JSON.stringify(receiveEvent);

/** The target, on equal work. JSON.parse alone is shown for the share of the work both pay. */
function equalWork(results: Parameters<typeof rateOf>[0], ours: string): void {
  target('check + defaults vs zod parse, equal work', rateOf(results, ours) / rateOf(results, zodName), 1.5);
}

const zodName = 'JSON.parse + zod parse (@saltify/milky-types)';
const sendResults = measure(
  [
    { name: zodName, run: () => zod.SendGroupMessageInput.parse(JSON.parse(sendText)) },
    {
      name: 'JSON.parse + @milky/types check + defaults',
      run: () => {
        const value = JSON.parse(sendText);
        return send.check(value) && resolveInput('send_group_message', value);
      },
    },
    { name: 'JSON.parse alone (paid by both)', run: () => JSON.parse(sendText) },
    { name: '(not equal work) @milky/types check alone', run: () => send.check(sendInput) },
    { name: '(not equal work) zod safeParse alone', run: () => zod.SendGroupMessageInput.safeParse(sendInput) },
  ],
  options,
);
report('send_group_message input, 10 segments, from its JSON text', sendResults, zodName);
equalWork(sendResults, 'JSON.parse + @milky/types check + defaults');

const eventResults = measure(
  [
    { name: zodName, run: () => zod.Event.parse(JSON.parse(eventText)) },
    {
      name: 'JSON.parse + @milky/types check + defaults, strict',
      run: () => {
        const value = JSON.parse(eventText);
        return strictEvent.check(value) && applyDefaults(EventSchema, value);
      },
    },
    {
      name: 'JSON.parse + @milky/types check + defaults, lenient',
      run: () => {
        const value = JSON.parse(eventText);
        return lenientEvent.check(value) && applyDefaults(EventSchema, value);
      },
    },
    { name: 'JSON.parse alone (paid by both)', run: () => JSON.parse(eventText) },
    { name: '(not equal work) @milky/types check alone, strict', run: () => strictEvent.check(receiveEvent) },
    { name: '(not equal work) zod safeParse alone', run: () => zod.Event.safeParse(receiveEvent) },
  ],
  options,
);
report('message_receive event, group message with 5 segments, from its JSON text', eventResults, zodName);
equalWork(eventResults, 'JSON.parse + @milky/types check + defaults, strict');
console.log(
  `\n(node ${process.version}; in one process; rates are medians of ${options.rounds} rounds of ${options.milliseconds} ms${quick ? '; quick run: too short to quote' : ''}; ${formatRate(1)} means one per second)`,
);
