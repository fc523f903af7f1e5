import { MilkyClient } from '@milky/client';
import { ReferenceServer } from '@milky/reference-server';

// A throw-away demo world on a free port: the bot 10001, its friends, its groups, some history.
await using server = await ReferenceServer.create({ accessToken: 'secret', port: 0 });
const { url } = await server.listen();

// The bot under test answers "ping" with "pong".
await using bot = new MilkyClient({ baseUrl: url, accessToken: 'secret' });
const answered = new Promise<number>((resolve) => {
  bot.on('message_receive', async (event) => {
    const [first] = event.data.segments;
    if (first?.type === 'text' && first.data.text === 'ping') resolve((await bot.reply(event, 'pong')).message_seq);
  });
});
await bot.connect();

// Alice (10002) says "ping" in group 20001; the world sends the bot a message_receive event.
await server.world.send(10002, { scene: 'group', peerId: 20001 }, [{ type: 'text', data: { text: 'ping' } }]);
const { message } = await bot.api.get_message({ message_scene: 'group', peer_id: 20001, message_seq: await answered });
console.log(message.segments.map((part) => part.type)); // [ 'reply', 'text' ]
