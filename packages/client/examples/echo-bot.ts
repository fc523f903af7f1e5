import { MilkyClient, segment } from '@milky/client';

export const client = new MilkyClient({ baseUrl: process.env.MILKY_URL ?? 'http://127.0.0.1:3000', accessToken: process.env.MILKY_TOKEN });

client.on('message_receive', async (event) => {
  const text = event.data.segments.map((part) => (part.type === 'text' ? part.data.text : '')).join('');
  if (text.startsWith('/echo ')) await client.reply(event, [segment.text(text.slice(6))]);
});
client.on('reconnecting', ({ attempt, delay }) => console.warn(`event stream lost, retry ${attempt} in ${delay} ms`));

const me = await client.api.get_login_info();
await client.connect(); // WebSocket, or SSE when the server has no WebSocket
console.log(`${me.nickname} (${me.uin}) is listening`);
