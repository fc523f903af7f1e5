// pnpm bench: validations per second of @milky/types against the protocol authors' zod schemas
// (@saltify/milky-types, a dev dependency of this benchmark only), in the same run.

import * as zod from '@saltify/milky-types';
import { groupMessageEvent, sendGroupMessageInput } from '../../../bench/fixtures.ts';
import { formatRate, measure, rateOf, report, target } from '../../../bench/harness.ts';
import { apiValidators, eventValidator, resolveInput } from '../src/index.ts';

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

const options = { rounds: Number(process.env.BENCH_ROUNDS ?? 5), milliseconds: Number(process.env.BENCH_MS ?? 400) };

const sendResults = measure(
  [
    { name: 'zod safeParse (@saltify/milky-types)', run: () => zod.SendGroupMessageInput.safeParse(sendInput) },
    { name: '@milky/types check', run: () => send.check(sendInput) },
    { name: '@milky/types check + resolveInput', run: () => send.check(sendInput) && resolveInput('send_group_message', sendInput) },
  ],
  options,
);
report('send_group_message input, 10 segments', sendResults, 'zod safeParse (@saltify/milky-types)');
const sendRatio = rateOf(sendResults, '@milky/types check') / rateOf(sendResults, 'zod safeParse (@saltify/milky-types)');
target('check vs zod', sendRatio, 10);

const eventResults = measure(
  [
    { name: 'zod safeParse (@saltify/milky-types)', run: () => zod.Event.safeParse(receiveEvent) },
    { name: '@milky/types check, strict', run: () => strictEvent.check(receiveEvent) },
    { name: '@milky/types check, lenient', run: () => lenientEvent.check(receiveEvent) },
  ],
  options,
);
report('message_receive event, group message with 5 segments', eventResults, 'zod safeParse (@saltify/milky-types)');
const eventRatio = rateOf(eventResults, '@milky/types check, strict') / rateOf(eventResults, 'zod safeParse (@saltify/milky-types)');
target('strict check vs zod', eventRatio, 10);
console.log(
  `\n(node ${process.version}; rates are medians of ${options.rounds} rounds of ${options.milliseconds} ms; ${formatRate(1)} means one per second)`,
);
