// Realistic protocol values the benchmarks share, so that they measure the same things.

import type { EventOf, SendGroupMessageInput } from '../packages/types/src/index.ts';

/** A `send_group_message` input of 10 segments, about 1 KB as JSON. */
export const sendGroupMessageInput: SendGroupMessageInput = {
  group_id: 987654321,
  message: [
    { type: 'reply', data: { message_seq: 4521 } },
    { type: 'mention', data: { user_id: 1234567890 } },
    {
      type: 'text',
      data: { text: ` thanks for the report, I will look at it tonight. ${'The stack trace points at the parser. '.repeat(10)}` },
    },
    { type: 'face', data: { face_id: '178' } },
    { type: 'text', data: { text: '\nIn the meantime, here is the log:' } },
    { type: 'image', data: { uri: 'https://example.com/captures/2026-11-23/error.png', summary: '[log]' } },
    { type: 'text', data: { text: '\nand a short recording:' } },
    { type: 'record', data: { uri: 'file:///var/lib/bot/voice/answer.amr' } },
    { type: 'mention_all', data: {} },
    { type: 'video', data: { uri: 'base64://AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDE=', thumb_uri: null } },
  ],
};

/** A `message_receive` event of a group message of five segments, with its group and sender. */
export function groupMessageEvent(seq = 4522, text = ' could you check the attached screenshot?'): EventOf<'message_receive'> {
  return {
    time: 1763900000,
    self_id: 1234567890,
    event_type: 'message_receive',
    data: {
      message_scene: 'group',
      peer_id: 987654321,
      message_seq: seq,
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
        { type: 'text', data: { text } },
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
}
