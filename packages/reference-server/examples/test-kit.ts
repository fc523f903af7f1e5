import { MilkyClient } from '@milky/client';
import { messageText, startTestWorld } from '@milky/reference-server/testing';

// A world for the test: the demo world, in-process, on a free loopback port.
await using world = await startTestWorld();

// The bot under test answers "ping" with "pong".
await using bot = new MilkyClient({ baseUrl: world.url, accessToken: world.accessToken });
bot.on('message_receive', (event) => {
  if (event.data.sender_id !== event.self_id && messageText(event.data) === 'ping') void bot.reply(event, 'pong', { quote: false });
});
await bot.connect();

// Alice (10002) says "ping" in her chat with the bot, and expects "pong" back.
const alice = world.person(10002);
await alice.say('ping');
console.log(messageText(await alice.expectReply(/pong/))); // pong

// A reply that does not come fails once the wait runs out, quoting the chat.
const failure = await alice.expectReply('never', { timeout: 100 }).catch((error: Error) => error);
console.log(failure instanceof Error && failure.message.split('\n')[0]);
// no reply from the bot in the friend chat with Alice (10002) containing "never" within 100 ms
