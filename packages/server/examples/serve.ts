import { MilkyApiError, MilkyServer } from '@milky/server';

const server = new MilkyServer({ accessToken: process.env.MILKY_TOKEN ?? 'change-me', port: Number(process.env.PORT ?? 3000) });

server.handle('get_login_info', () => ({ uin: 1234567890, nickname: 'my bot' }));
server.handle('send_group_message', async ({ group_id, message }) => {
  if (message.length === 0) throw new MilkyApiError(-100, 'the message is empty'); // answers retcode -100
  return { message_seq: group_id % 1000, time: Math.floor(Date.now() / 1000) };
});

const { port } = await server.listen();
server.emit({ time: Math.floor(Date.now() / 1000), self_id: 1234567890, event_type: 'bot_offline', data: { reason: 'demo' } });
console.log(`listening on ${port}`, server.implementedApis); // … [ 'get_login_info', 'send_group_message' ]
await server.close();
