// `GET /event` over WebSocket and Server-Sent Events, with the token in the header or the query,
// and the WebHook receiver: the endpoint checks, and the wire that records every event of the run.

import { once } from 'node:events';
import http from 'node:http';
import { type Event, eventValidator } from '@milky/types';
import WebSocket from 'ws';
import { mediaType, openStream } from '../http.ts';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import type { Target } from '../target.ts';

export type Transport = 'websocket' | 'sse' | 'webhook';

export interface Received {
  readonly transport: Transport;
  readonly raw: string;
  /** The parsed JSON, or undefined when it was not JSON. */
  readonly value: unknown;
  /** SSE: the `event:` name it came with. */
  readonly name?: string;
  /** WebHook: what was wrong with the request, beside the body. */
  readonly problem?: string;
}

/** Opens a WebSocket and resolves with the HTTP status the upgrade got (101 when it opened). */
function tryWebSocket(url: URL, headers: Record<string, string>): Promise<{ status: number; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    socket.once('open', () => resolve({ status: 101, socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** Splits an SSE stream into events: `onEvent(name, data)` per blank-line-terminated block. */
export function sseParser(onEvent: (name: string, data: string) => void): (text: string) => void {
  let buffer = '';
  return (text) => {
    buffer += text.replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) onEvent(name, data.join('\n'));
    }
  };
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Everything pushed to the suite during the run, by transport. */
export class Wire {
  readonly received: Received[] = [];
  readonly open = new Set<Transport>();
  private closers: Array<() => void> = [];
  private waiters: Array<() => void> = [];

  private add(item: Received): void {
    this.received.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async connect(target: Target, webhook: { port?: number | undefined; token?: string | undefined }): Promise<void> {
    try {
      const { socket } = await tryWebSocket(target.url('/event'), target.auth());
      if (socket) {
        socket.on('message', (data, isBinary) => {
          const raw = data.toString();
          this.add({ transport: 'websocket', raw, value: parse(raw), ...(isBinary ? { problem: 'sent as a binary frame' } : {}) });
        });
        socket.on('error', () => {});
        this.open.add('websocket');
        this.closers.push(() => socket.terminate());
      }
    } catch {}
    try {
      const parser = sseParser((name, raw) => this.add({ transport: 'sse', raw, value: parse(raw), name }));
      const stream = await openStream(target.url('/event'), { accept: 'text/event-stream', ...target.auth() }, parser);
      if (stream.status === 200) this.open.add('sse');
      this.closers.push(stream.close);
    } catch {}
    if (webhook.port !== undefined) {
      const expected = webhook.token === undefined ? undefined : `Bearer ${webhook.token}`;
      const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const problems = [
            request.method === 'POST' ? '' : `method ${request.method}`,
            mediaType(request.headers) === 'application/json' ? '' : `Content-Type ${describeValue(request.headers['content-type'])}`,
            expected === undefined || request.headers.authorization === expected ? '' : 'a missing or wrong Authorization: Bearer token',
          ].filter(Boolean);
          this.add({ transport: 'webhook', raw, value: parse(raw), ...(problems.length > 0 ? { problem: problems.join(', ') } : {}) });
          response.writeHead(204).end();
        });
      });
      server.listen(webhook.port, '0.0.0.0');
      await once(server, 'listening');
      this.open.add('webhook');
      this.closers.push(() => server.close());
    }
  }

  /** Waits until `found` holds of what has arrived, or `timeout` ms. */
  async until(found: () => boolean, timeout = 5000): Promise<boolean> {
    const deadline = Date.now() + timeout;
    while (!found()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  close(): void {
    for (const close of this.closers.splice(0)) close();
  }
}

export async function streamChecks(target: Target, recorder: Recorder): Promise<void> {
  const check = (name: string, run: () => Promise<unknown>) => recorder.check('event stream', name, run);
  const withQuery = (token: string | undefined) => {
    const url = target.url('/event');
    if (token !== undefined) url.searchParams.set('access_token', token);
    return url;
  };
  const websocket = async (url: URL, headers: Record<string, string>, expected: number) => {
    const { status, socket } = await tryWebSocket(url, headers);
    socket?.terminate();
    expect(
      status === expected,
      `expected ${expected === 101 ? 'the WebSocket to open' : `HTTP ${expected} before the upgrade`}, got ${status === 101 ? 'an open WebSocket' : `HTTP ${status}`}`,
    );
  };
  const sse = async (url: URL, headers: Record<string, string>, expected: number) => {
    const stream = await openStream(url, { accept: 'text/event-stream', ...headers }, () => {});
    stream.close();
    expect(stream.status === expected, `expected HTTP ${expected}, got ${stream.status}`);
    if (expected === 200) {
      expect(
        mediaType(stream.headers) === 'text/event-stream',
        `expected Content-Type text/event-stream, got ${describeValue(stream.headers['content-type'])}`,
      );
    }
  };
  await check('WebSocket with the token in Authorization opens', () => websocket(target.url('/event'), target.auth(), 101));
  await check('WebSocket with the token in ?access_token= opens', () => websocket(withQuery(target.requireToken()), {}, 101));
  await check('WebSocket without a token gets 401 before the upgrade', async () => {
    target.requireToken();
    await websocket(target.url('/event'), {}, 401);
  });
  await check('WebSocket with a wrong token gets 401 before the upgrade', async () => {
    await websocket(withQuery(`${target.requireToken()}x`), {}, 401);
    await websocket(target.url('/event'), { authorization: `Bearer ${target.token}x` }, 401);
  });
  await check('SSE with the token in Authorization: 200 and text/event-stream', () => sse(target.url('/event'), target.auth(), 200));
  await check('SSE with the token in ?access_token=: 200 and text/event-stream', () => sse(withQuery(target.requireToken()), {}, 200));
  await check('SSE without a token, or a wrong one, gets 401', async () => {
    target.requireToken();
    await sse(target.url('/event'), {}, 401);
    await sse(withQuery(`${target.token}x`), {}, 401);
  });
}

/** After the run: what arrived was valid, named right on SSE, and well sent by WebHook. */
export async function receivedChecks(wire: Wire, recorder: Recorder): Promise<void> {
  const check = (name: string, run: () => Promise<unknown>) => recorder.check('events', name, run);
  const validate = eventValidator('strict');
  await check('every event received during the run matches its schema', async () => {
    if (wire.received.length === 0) throw skip('no event arrived during the run');
    const wrong = wire.received
      .map((item) => {
        if (item.value === undefined) return `${item.transport}: not JSON: ${describeValue(item.raw.slice(0, 100))}`;
        const issue = validate.issues(item.value, 1)[0];
        return issue ? `${item.transport} ${describeValue((item.value as { event_type?: unknown }).event_type)}: ${issue.message}` : '';
      })
      .filter(Boolean);
    expect(wrong.length === 0, `${wrong.length} of ${wire.received.length} events break the protocol; first: ${wrong[0]}`);
  });
  await check('SSE events are named milky_event', async () => {
    const events = wire.received.filter((item) => item.transport === 'sse');
    if (events.length === 0) throw skip('no SSE event arrived during the run');
    const wrong = events.filter((item) => item.name !== 'milky_event');
    expect(wrong.length === 0, `${wrong.length} SSE events came as ${describeValue(wrong[0]?.name)}`);
  });
  await check('WebSocket events are text frames', async () => {
    const events = wire.received.filter((item) => item.transport === 'websocket');
    if (events.length === 0) throw skip('no WebSocket event arrived during the run');
    const wrong = events.filter((item) => item.problem);
    expect(wrong.length === 0, `${wrong.length} events were ${wrong[0]?.problem}`);
  });
  await check('WebHook pushes are POSTs of application/json with the Bearer token', async () => {
    const pushes = wire.received.filter((item) => item.transport === 'webhook');
    if (!wire.open.has('webhook')) throw skip('no --webhook-port given');
    if (pushes.length === 0) throw skip('no WebHook push arrived during the run (is the server configured to push to this port?)');
    const wrong = pushes.filter((item) => item.problem);
    expect(wrong.length === 0, `${wrong.length} of ${pushes.length} pushes came with ${wrong[0]?.problem}`);
  });
}

export function isEvent(value: unknown): value is Event {
  return typeof value === 'object' && value !== null && typeof (value as { event_type?: unknown }).event_type === 'string';
}
