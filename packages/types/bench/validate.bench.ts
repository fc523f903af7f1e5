// pnpm bench: validations per second of @milky/types against the protocol authors' zod schemas
// (@saltify/milky-types, a dev dependency of this benchmark only), in the same run.

import * as zod from '@saltify/milky-types';
import { formatRate, measure, rateOf, report, target } from '../../../bench/harness.ts';
import { type ApiInput, apiValidators, eventValidator, resolveInput } from '../src/index.ts';

const sendInput: ApiInput<'send_group_message'> = {
  group_id: 987654321,
  message: [
    { type: 'reply', data: { message_seq: 4521 } },
    { type: 'mention', data: { user_id: 1234567890 } },
    { type: 'text', data: { text: ' thanks for the report, I will look at it tonight.' } },
    { type: 'face', data: { face_id: '178' } },
    { type: 'text', data: { text: '\nIn the meantime, here is the log:' } },
    { type: 'image', data: { uri: 'https://example.com/captures/2026-11-23/error.png', summary: '[log]' } },
    { type: 'text', data: { text: '\nand a short recording:' } },
    { type: 'record', data: { uri: 'file:///var/lib/bot/voice/answer.amr' } },
    { type: 'mention_all', data: {} },
    { type: 'video', data: { uri: 'base64://AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDE=', thumb_uri: null } },
  ],
};

const receiveEvent = {
  time: 1763900000,
  self_id: 1234567890,
  event_type: 'message_receive',
  data: {
    message_scene: 'group',
    peer_id: 987654321,
    message_seq: 4522,
    sender_id: 2233445566,
    time: 1763900000,
    segments: [
      {
        type: 'reply',
        data: {
          message_seq: 4521,
          sender_id: 1234567890,
          sender_name: null,
          time: 1763899000,
          segments: [{ type: 'text', data: { text: 'see above' } }],
        },
      },
      { type: 'mention', data: { user_id: 1234567890, name: 'bot' } },
      { type: 'text', data: { text: ' could you check the attached screenshot?' } },
      {
        type: 'image',
        data: {
          resource_id: 'r-1a2b3c',
          temp_url: 'https://example.com/t/1a2b3c',
          width: 1280,
          height: 720,
          summary: '[image]',
          sub_type: 'normal',
        },
      },
      { type: 'face', data: { face_id: '14', is_large: false } },
    ],
    group: {
      group_id: 987654321,
      group_name: 'Milky implementers',
      member_count: 312,
      max_member_count: 500,
      remark: '',
      created_time: 1600000000,
      description: 'Where protocol sides and bots meet',
      question: '',
      announcement: 'Read the pinned spec first',
    },
    group_member: {
      user_id: 2233445566,
      nickname: 'carol',
      sex: 'female',
      group_id: 987654321,
      card: 'Carol (tester)',
      title: '',
      level: 23,
      role: 'admin',
      join_time: 1650000000,
      last_sent_time: 1763899990,
      shut_up_end_time: null,
    },
  },
};

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
