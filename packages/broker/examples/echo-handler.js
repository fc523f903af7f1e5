// A worker's handler for `milky-broker worker --handler`: answers "ping" in any chat with "pong",
// in a group through any account of the broker that is in it.

export default async function handle(event, context) {
  if (event.event_type !== 'message_receive') return;
  const [first] = event.data.segments;
  if (first?.type !== 'text' || first.data.text !== 'ping') return;
  const message = [{ type: 'text', data: { text: `pong (received by ${context.account})` } }];
  if (event.data.message_scene === 'group') {
    await context.group(event.data.peer_id).call('send_group_message', { group_id: event.data.peer_id, message });
  } else {
    await context.api.call('send_private_message', { user_id: event.data.peer_id, message });
  }
}
