// Write checks on the bot's own profile and its chat with a friend: pins, nickname, bio, avatar,
// messages (sent, read, recalled, forwarded), nudges and files. What they change is put back or
// recalled where it can be.

import { describeValue, expect, skip } from '../report.ts';
import { rules } from '../rules.ts';
import { declaresField } from '../version.ts';
import { segmentsOf } from './messages.ts';
import { marker, pngUri, textUri, type WriteScope } from './write-scope.ts';

/** The checks of the profile and friend-chat APIs with side effects, in order. */
export async function friendChecks(scope: WriteScope): Promise<void> {
  const { target, known, self, friend, check, who } = scope;
  await check('set_peer_pin', `pins the chat with friend ${who(friend)}, then unpins it`, ['friend'], async () => {
    const pinned = (await target.api('get_peer_pins')).friends.some((f) => f.user_id === friend);
    await target.api('set_peer_pin', { message_scene: 'friend', peer_id: friend, is_pinned: true });
    expect(
      (await target.api('get_peer_pins')).friends.some((f) => f.user_id === friend),
      'the chat is not among the pins after pinning it',
    );
    await target.api('set_peer_pin', { message_scene: 'friend', peer_id: friend, is_pinned: pinned });
  });
  await check('set_nickname', 'sets the bot’s nickname to the one it has', [], async () => {
    await target.api('set_nickname', { new_nickname: known.nickname ?? 'Milky Bot' });
  });
  await check('set_bio', 'sets the bot’s bio to the one it has', [], async () => {
    await target.api('set_bio', { new_bio: known.bio ?? '' });
  });
  await check(
    'set_avatar',
    'sets the bot’s avatar to a 1×1 PNG',
    ['fixtures'],
    async () => void (await target.api('set_avatar', { uri: pngUri })),
  );

  let privateSeq: number | undefined;
  await check('send_private_message', `sends "${marker}" to friend ${who(friend)} (recalled below)`, ['friend'], async () => {
    const sent = await target.api('send_private_message', { user_id: friend, message: [{ type: 'text', data: { text: marker } }] });
    privateSeq = sent.message_seq;
    const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
    expect(message.sender_id === self, `the sent message has sender ${message.sender_id}, not the bot ${self}`);
    const first = message.segments[0];
    expect(first?.type === 'text' && first.data.text === marker, `the sent message reads back as ${describeValue(message.segments)}`);
  });
  await check('mark_message_as_read', 'marks that message as read', ['friend'], async () => {
    if (privateSeq === undefined) throw skip('send_private_message did not send');
    await target.api('mark_message_as_read', { message_scene: 'friend', peer_id: friend, message_seq: privateSeq });
  });
  await check('recall_private_message', 'recalls that message', ['friend'], async () => {
    if (privateSeq === undefined) throw skip('send_private_message did not send');
    await target.api('recall_private_message', { user_id: friend, message_seq: privateSeq });
    await target.failing('get_message', { message_scene: 'friend', peer_id: friend, message_seq: privateSeq });
  });
  await check(
    'a message sent with a forward segment reads back with a forward segment',
    `sends a forwarded message to friend ${who(friend)} and reads it back (recalled after)`,
    ['friend'],
    async () => {
      const forwarded = { user_id: self, sender_name: 'Milky conformance', segments: [{ type: 'text', data: { text: marker } }] };
      const sent = await target.api('send_private_message', {
        user_id: friend,
        message: [{ type: 'forward', data: { messages: [forwarded] } }],
      });
      try {
        const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
        const forward = message.segments.find((segment) => segment.type === 'forward');
        expect(
          forward?.type === 'forward',
          `the message sent with a forward segment reads back as ${describeValue(message.segments.map((segment) => segment.type))}`,
        );
        const { messages } = await target.api('get_forwarded_messages', { forward_id: forward.data.forward_id });
        expect(
          messages.some((m) => m.segments.some((segment) => segment.type === 'text' && segment.data.text === marker)),
          `the forwarded messages read back as ${describeValue(messages)}`,
        );
      } finally {
        await target.api('recall_private_message', { user_id: friend, message_seq: sent.message_seq });
      }
    },
    rules.forwardKept,
  );
  if (declaresField('OutgoingForwardedMessage', 'time')) {
    await check(
      'a forwarded message keeps the time given for it',
      `sends a forwarded message with a time to friend ${who(friend)} and reads it back (recalled after)`,
      ['friend'],
      async () => {
        const reason = target.version.fieldNotExpected('the time of a forwarded message');
        if (reason) throw skip(reason);
        const time = 1_700_000_000;
        const forwarded = { user_id: self, sender_name: 'Milky conformance', segments: [{ type: 'text', data: { text: marker } }], time };
        const sent = await target.api('send_private_message', {
          user_id: friend,
          message: [{ type: 'forward', data: { messages: [forwarded] } }],
        });
        try {
          const { message } = await target.api('get_message', { message_scene: 'friend', peer_id: friend, message_seq: sent.message_seq });
          const forward = message.segments.find((segment) => segment.type === 'forward');
          if (forward?.type !== 'forward') throw skip('the forward did not read back as a forward segment (see the check above)');
          const { messages } = await target.api('get_forwarded_messages', { forward_id: forward.data.forward_id });
          expect(
            messages[0]?.time === time,
            `sent with time ${time}, the forwarded message reads back with ${describeValue(messages[0]?.time)}`,
          );
        } finally {
          await target.api('recall_private_message', { user_id: friend, message_seq: sent.message_seq });
        }
      },
      rules.forwardKept,
    );
  }
  await check(
    'send_friend_nudge',
    `nudges friend ${who(friend)}`,
    ['friend'],
    async () => void (await target.api('send_friend_nudge', { user_id: friend })),
  );
  let privateFile: string | undefined;
  await check('upload_private_file', `sends a small text file to friend ${who(friend)} (it stays)`, ['friend'], async () => {
    const { file_id } = await target.api('upload_private_file', {
      user_id: friend,
      file_uri: textUri(marker),
      file_name: 'milky-conformance.txt',
    });
    expect(file_id.length > 0, 'the file_id is empty');
    privateFile = file_id;
  });
  if (declaresField('GetPrivateFileDownloadUrlInput', 'is_self_send')) {
    await check(
      'get_private_file_download_url with is_self_send: true finds the bot’s own file',
      'asks for a download link of the file sent above',
      ['friend'],
      async () => {
        const reason = target.version.fieldNotExpected('is_self_send');
        if (reason) throw skip(reason);
        if (privateFile === undefined) throw skip('upload_private_file did not send a file');
        const { messages } = await target.api('get_history_messages', { message_scene: 'friend', peer_id: friend, limit: 30 });
        const segment = segmentsOf(messages).find((s) => s.type === 'file' && s.data.file_id === privateFile);
        if (segment?.type !== 'file' || !segment.data.file_hash)
          throw skip('the file sent is not in the friend chat’s history with its hash');
        const { download_url } = await target.api('get_private_file_download_url', {
          user_id: friend,
          file_id: privateFile,
          file_hash: segment.data.file_hash,
          is_self_send: true,
        });
        expect(/^https?:\/\//.test(download_url), `expected an http(s) URL, got ${describeValue(download_url)}`);
      },
    );
  }
}
