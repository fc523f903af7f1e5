// The messages send.bench.ts sends, and its server processes store to fill their worlds.

import type { SendGroupMessageInput } from '@milky/types';
import { drawPng } from '../src/world/media.ts';

/** A group message of the demo world: a reply, a mention, about 1 KB of text, a face. */
export const text: SendGroupMessageInput = {
  group_id: 20001,
  message: [
    { type: 'reply', data: { message_seq: 3 } },
    { type: 'mention', data: { user_id: 10002 } },
    {
      type: 'text',
      data: { text: ` thanks for the report, I will look at it tonight. ${'The stack trace points at the parser. '.repeat(24)}` },
    },
    { type: 'face', data: { face_id: '178' } },
  ],
};

/** The same with a 64×64 PNG (about 1 KB) as base64. */
export const withImage: SendGroupMessageInput = {
  ...text,
  message: [...text.message, { type: 'image', data: { uri: `base64://${drawPng(64, 0x336699, 0x99ccff).toString('base64')}` } }],
};
