import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiHandlers, MilkyServer, type ServerOptions } from '@milky/server';
import { type ApiName, apis, type EventOf, type IncomingMessage, type MilkySchema, resolveInput } from '@milky/types';
import { sample } from '@milky/types/samples';
import type { Logger } from '../src/index.ts';

export function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  return { lines, logger };
}

export const silent: Logger = { info() {}, warn() {}, error() {} };

/** What a handler of the test server received, by API. */
export type Received = Map<ApiName, unknown[]>;

/** A server implementing every API: each records its input and answers a sample of its output. */
export async function startFullServer(options: ServerOptions = {}) {
  const received: Received = new Map();
  const waiters: Array<() => void> = [];
  const handlers = Object.fromEntries(
    (Object.keys(apis) as ApiName[]).map((name) => [
      name,
      (input: unknown) => {
        received.set(name, [...(received.get(name) ?? []), input]);
        for (const waiter of waiters.splice(0)) waiter();
        return sample(apis[name].output as MilkySchema<unknown>);
      },
    ]),
  ) as ApiHandlers;
  /** Resolves when `name` has been called `count` times. */
  const waitFor = (name: ApiName, count = 1) =>
    new Promise<void>((resolve) => {
      const check = () => ((received.get(name)?.length ?? 0) >= count ? resolve() : waiters.push(check));
      check();
    });
  const server = new MilkyServer({ port: 0, logger: silent, validateOutput: true, ...options }).handleAll(handlers);
  const { port } = await server.listen();
  return {
    server,
    port,
    received,
    waitFor,
    url: `http://127.0.0.1:${port}${options.prefix ?? ''}`,
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
    },
  };
}

/** What the server's handler receives for an input: the input with its defaults applied. */
export function resolved(name: ApiName, input: unknown): unknown {
  return resolveInput(name, structuredClone(input) as never);
}

/** A plain HTTP server answering every request with `answer`. */
export async function fakeServer(answer: (request: http.IncomingMessage, response: http.ServerResponse, index: number) => void) {
  let index = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(request, response, index++));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const friend = {
  user_id: 10002,
  nickname: 'n',
  sex: 'unknown',
  qid: '',
  remark: '',
  category: { category_id: 1, category_name: 'c' },
} as const;
const group = {
  group_id: 123456,
  group_name: 'g',
  member_count: 2,
  max_member_count: 200,
  remark: '',
  created_time: 0,
  description: '',
  question: '',
  announcement: '',
};
const member = {
  user_id: 10002,
  nickname: 'n',
  sex: 'unknown',
  group_id: 123456,
  card: '',
  title: '',
  level: 1,
  role: 'member',
  join_time: 0,
  last_sent_time: 0,
} as const;

/** A message from friend 10002, sequence `seq`. */
export function friendMessage(seq: number, text = 'hi'): IncomingMessage {
  return {
    message_scene: 'friend',
    peer_id: 10002,
    message_seq: seq,
    sender_id: 10002,
    time: 1,
    segments: [{ type: 'text', data: { text } }],
    friend,
  };
}

/** The event of a message from member 10002 in group 123456, sequence `seq`. */
export function groupMessage(seq: number, text = 'hi'): EventOf<'message_receive'> {
  return {
    time: 1,
    self_id: 1234567890,
    event_type: 'message_receive',
    data: {
      message_scene: 'group',
      peer_id: 123456,
      message_seq: seq,
      sender_id: 10002,
      time: 1,
      segments: [{ type: 'text', data: { text } }],
      group,
      group_member: member,
    },
  };
}
