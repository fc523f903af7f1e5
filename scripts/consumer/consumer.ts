// A small app as a user writes it against the installed packages: it must type-check under
// `moduleResolution` `nodenext` and `bundler` alike. The lines marked @ts-expect-error prove that
// the types are the protocol's, not `any`.

import { MilkyClient, segment } from '@milky/client';
import { MilkyWebhookReceiver } from '@milky/client/webhook';
import { ReferenceServer, SandboxClient } from '@milky/reference-server';
import { MilkyServer } from '@milky/server';
import { type ApiName, apis, type EventOf, eventValidator } from '@milky/types';
import { WebhookDispatcher } from '@milky/webhook';

export async function app(url: string): Promise<string> {
  const client = new MilkyClient({ baseUrl: url, accessToken: 'token' });
  const me = await client.api.get_login_info();
  const nickname: string = me.nickname;
  // @ts-expect-error: the API is get_login_info, not get_login
  await client.api.get_login();
  // @ts-expect-error: group_id is a number
  await client.api.send_group_message({ group_id: 'abc', message: [segment.text('hi')] });
  client.on('group_nudge', (event: EventOf<'group_nudge'>) => console.log(event.data.group_id));
  const names: ApiName[] = Object.keys(apis) as ApiName[];
  const receiver = new MilkyWebhookReceiver({ token: 'token' });
  receiver.on('message_receive', (event) => console.log(event.data.message_seq));
  const parsed = eventValidator('lenient').parse({});
  return `${nickname} ${names.length} ${typeof parsed}`;
}

export function sides(): unknown[] {
  const server = new MilkyServer({ accessToken: 'token' });
  server.handle('get_login_info', () => ({ uin: 10001, nickname: 'bot' }));
  // @ts-expect-error: a handler's result is checked against the protocol
  server.handle('get_login_info', () => ({ uin: 'x' }));
  const dispatcher = new WebhookDispatcher({ targets: ['http://127.0.0.1:1/'] });
  return [server, dispatcher, ReferenceServer.create, SandboxClient];
}
