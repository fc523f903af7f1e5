import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiHandlers, MilkyServer, type ServerOptions } from '../src/index.ts';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export function recordingLogger() {
  const lines: LogLine[] = [];
  const waiters: Array<() => void> = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
    for (const waiter of waiters.splice(0)) waiter();
  };
  /** Resolves with the first line whose message matches. */
  const waitForLog = (pattern: RegExp) =>
    new Promise<LogLine>((resolve) => {
      const check = () => {
        const found = lines.find((line) => pattern.test(line.message));
        if (found) resolve(found);
        else waiters.push(check);
      };
      check();
    });
  return { lines, waitForLog, logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } };
}

export const loginInfo = { uin: 1234567890, nickname: 'test bot' };

/** Handlers for a few APIs, enough to exercise every rule. */
export const handlers: ApiHandlers = {
  get_login_info: () => loginInfo,
  send_group_message: (input) => ({ message_seq: input.message.length, time: 1763900000 }),
  get_friend_list: (input) => {
    if (input.no_cache) throw new Error('the cache is all we have');
    return { friends: [] };
  },
  set_group_name: () => undefined,
};

export interface TestServer extends AsyncDisposable {
  readonly server: MilkyServer;
  readonly port: number;
  readonly base: string;
  readonly logs: LogLine[];
  waitForLog(pattern: RegExp): Promise<LogLine>;
}

export async function startServer(options: ServerOptions = {}, extra: ApiHandlers = {}): Promise<TestServer> {
  const { lines, logger, waitForLog } = recordingLogger();
  const server = new MilkyServer({ port: 0, logger, ...options }).handleAll({ ...handlers, ...extra });
  const { port } = await server.listen();
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}${options.prefix ?? ''}`,
    logs: lines,
    waitForLog,
    async [Symbol.asyncDispose]() {
      await server[Symbol.asyncDispose]();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** Whether the request went on a kept-alive connection of its agent. */
  readonly reusedSocket: boolean;
  json(): unknown;
}

/** A raw HTTP request: nothing is added to the headers given. */
export async function request(
  url: string,
  {
    method = 'POST',
    headers = {},
    body,
    agent = false,
    localAddress,
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: http.Agent | false;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  const outgoing = http.request(url, { method, headers, agent, ...(localAddress ? { localAddress } : {}) });
  if (body !== undefined) outgoing.end(body);
  else outgoing.end();
  const [response] = (await once(outgoing, 'response')) as [http.IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    text,
    reusedSocket: outgoing.reusedSocket,
    json: () => JSON.parse(text),
  };
}

/** `POST <base>/api/<api>` with a JSON body and the token (through `via`'s agent and from its address, when given). */
export function call(
  base: string,
  api: string,
  body: unknown = {},
  token?: string,
  headers: Record<string, string> = {},
  via: { agent?: http.Agent; localAddress?: string } = {},
): Promise<Answer> {
  return request(`${base}/api/${api}`, {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...via,
  });
}

export function addressOf(server: http.Server): AddressInfo {
  return server.address() as AddressInfo;
}

/** A point a handler waits at: `arrived` once it gets there, on until the test calls `release()`. */
export function checkpoint() {
  let arrive!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  /** Called by the handler: marks the arrival, then waits for the release. */
  const wait = () => {
    arrive();
    return released;
  };
  return { arrived, release, wait };
}
