// `GET /event` over WebSocket and Server-Sent Events, with the token in the header or the query,
// and the WebHook receiver: the endpoint checks, and the wire that records every event of the run.

import { once } from 'node:events';
import http from 'node:http';
import { type Event, eventValidator, httpAnswers } from '@milky/types';
import WebSocket from 'ws';
import { mediaType, openStream } from '../http.ts';
import { SseParser } from '../internal/sse.ts';
import { describeValue, expect, Failure, type Recorder, skip } from '../report.ts';
import { type Rule, rules } from '../rules.ts';
import { redact, type Target } from '../target.ts';

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

/** JSON with every object's keys sorted: the same value serialized by two transports compares equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
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

  /** Records what arrived, and wakes whoever waits on the wire. */
  record(item: Received): void {
    this.received.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async connect(target: Target, webhook: { port?: number | undefined; token?: string | undefined }): Promise<void> {
    try {
      const { socket } = await tryWebSocket(target.url('/event'), target.auth());
      if (socket) {
        socket.on('message', (data, isBinary) => {
          const raw = data.toString();
          this.record({ transport: 'websocket', raw, value: parse(raw), ...(isBinary ? { problem: 'sent as a binary frame' } : {}) });
        });
        socket.on('error', () => {});
        this.open.add('websocket');
        this.closers.push(() => socket.terminate());
      }
    } catch {}
    try {
      const parser = new SseParser({
        message: ({ event, data }) => this.record({ transport: 'sse', raw: data, value: parse(data), name: event }),
      });
      const stream = await openStream(target.url('/event'), { accept: 'text/event-stream', ...target.auth() }, (text) => parser.feed(text));
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
          this.record({ transport: 'webhook', raw, value: parse(raw), ...(problems.length > 0 ? { problem: problems.join(', ') } : {}) });
          response.writeHead(204).end();
        });
      });
      server.listen(webhook.port, '0.0.0.0');
      await once(server, 'listening');
      this.open.add('webhook');
      this.closers.push(() => {
        // Its connections too: a push on one kept alive would reach a wire nobody reads.
        server.close();
        server.closeAllConnections();
      });
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

  /**
   * Waits until every event that arrived on an event stream (WebSocket or SSE, open since the
   * wire connected) has arrived as often on every open transport, or `timeout` ms: pushes still on
   * their way are judged once they arrive, not after a guess. Events are compared by their JSON,
   * whatever its key order. A WebHook push with no copy on a stream (one the server retried from
   * before the run) is not waited for: no stream will ever carry it.
   */
  caughtUp(timeout: number): Promise<boolean> {
    const open = [...this.open];
    const streams = open.filter((transport) => transport !== 'webhook');
    const keys = new Map<Received, string>();
    const keyOf = (item: Received) => {
      let key = keys.get(item);
      if (key === undefined) {
        key = item.value === undefined ? item.raw : canonicalJson(item.value);
        keys.set(item, key);
      }
      return key;
    };
    return this.until(() => {
      const counts = new Map<Transport, Map<string, number>>(open.map((transport) => [transport, new Map()]));
      for (const item of this.received) {
        const byKey = counts.get(item.transport);
        if (byKey) byKey.set(keyOf(item), (byKey.get(keyOf(item)) ?? 0) + 1);
      }
      return streams.every((stream) =>
        [...(counts.get(stream) ?? [])].every(([key, n]) => open.every((transport) => (counts.get(transport)?.get(key) ?? 0) >= n)),
      );
    }, timeout);
  }

  close(): void {
    for (const close of this.closers.splice(0)) close();
  }
}

export async function streamChecks(target: Target, recorder: Recorder): Promise<void> {
  const check = (name: string, rule: Rule, run: () => Promise<unknown>) => recorder.check('event stream', name, rule, run);
  const withQuery = (token: string | undefined) => {
    const url = target.url('/event');
    if (token !== undefined) url.searchParams.set('access_token', token);
    return url;
  };
  const record = (how: string, url: URL, headers: Record<string, string>, answer: string) => {
    const shown = new URL(url);
    if (shown.searchParams.has('access_token')) shown.searchParams.set('access_token', '…');
    const auth = headers.authorization ? `\nauthorization: ${redact(headers.authorization)}` : '';
    target.observer?.exchange({ request: `GET ${shown.pathname}${shown.search} (${how})${auth}`, response: answer });
  };
  /** The HTTP status a WebSocket upgrade got: 101 when it opened. */
  const websocket = async (url: URL, headers: Record<string, string>) => {
    const { status, socket } = await tryWebSocket(url, headers);
    socket?.terminate();
    record('WebSocket', url, headers, status === 101 ? 'HTTP 101: the WebSocket opened' : `HTTP ${status}`);
    return status;
  };
  const sse = async (url: URL, headers: Record<string, string>) => {
    const stream = await openStream(url, { accept: 'text/event-stream', ...headers }, () => {});
    stream.close();
    record('Server-Sent Events', url, headers, `HTTP ${stream.status}\ncontent-type: ${String(stream.headers['content-type'])}`);
    return stream;
  };
  const opens = async (url: URL, headers: Record<string, string>) => {
    const status = await websocket(url, headers);
    expect(status === 101, `expected the WebSocket to open, got HTTP ${status}`);
  };
  const streams = async (url: URL, headers: Record<string, string>) => {
    const stream = await sse(url, headers);
    expect(stream.status === 200, `expected HTTP 200, got ${stream.status}`);
    expect(
      mediaType(stream.headers) === 'text/event-stream',
      `expected Content-Type text/event-stream, got ${describeValue(stream.headers['content-type'])}`,
    );
  };
  const refusals = () => {
    const token = target.requireToken();
    return [
      { what: 'without a token', url: target.url('/event'), headers: {} },
      { what: 'with a wrong token in ?access_token=', url: withQuery(`${token}x`), headers: {} },
      { what: 'with a wrong token in Authorization', url: target.url('/event'), headers: { authorization: `Bearer ${token}x` } },
    ];
  };
  await check('WebSocket with the token in Authorization opens', rules.streamOpens, () => opens(target.url('/event'), target.auth()));
  await check('WebSocket with the token in ?access_token= opens', rules.streamOpens, () => opens(withQuery(target.requireToken()), {}));
  await check('SSE with the token in Authorization: 200 and text/event-stream', rules.sseType, () =>
    streams(target.url('/event'), target.auth()),
  );
  await check('SSE with the token in ?access_token=: 200 and text/event-stream', rules.sseType, () =>
    streams(withQuery(target.requireToken()), {}),
  );
  await check('WebSocket without a token, or with a wrong one, is refused', rules.streamRefused, async () => {
    for (const { what, url, headers } of refusals()) {
      expect((await websocket(url, headers)) !== 101, `a WebSocket ${what} opened`);
    }
  });
  await check('SSE without a token, or with a wrong one, is refused', rules.streamRefused, async () => {
    for (const { what, url, headers } of refusals()) {
      const stream = await sse(url, headers);
      expect(stream.status !== 200, `an event stream ${what} was served (HTTP 200)`);
    }
  });
  await check('a refused /event gets HTTP 401 before any upgrade', rules.refusal401, async () => {
    for (const { what, url, headers } of refusals()) {
      const status = await websocket(url, headers);
      expect(
        status === httpAnswers.Unauthorized.status,
        `a WebSocket ${what}: expected HTTP 401 before the upgrade, got ${status === 101 ? 'an open WebSocket' : `HTTP ${status}`}`,
      );
      const stream = await sse(url, headers);
      expect(stream.status === httpAnswers.Unauthorized.status, `an event stream ${what}: expected HTTP 401, got ${stream.status}`);
    }
  });
}

/** After the run: what arrived was well-formed, named right on SSE, and well sent by WebHook. */
export async function receivedChecks(target: Target, wire: Wire, recorder: Recorder): Promise<void> {
  const check = (name: string, rule: Rule, run: () => Promise<unknown>) => recorder.check('events', name, rule, run);
  const strict = eventValidator('strict');
  const lenient = eventValidator('lenient');
  const show = (item: Received) => ({
    request: `an event over ${item.transport}${item.name ? ` (event: ${item.name})` : ''}`,
    response: item.raw.slice(0, 300),
  });
  await check('every event carries the fields its type requires, as its type defines them', rules.eventShape, async () => {
    if (wire.received.length === 0) throw skip('no event arrived during the run');
    const wrong: string[] = [];
    for (const item of wire.received) {
      const type = describeValue((item.value as { event_type?: unknown } | undefined)?.event_type);
      try {
        if (item.value === undefined) throw new Failure(`not JSON: ${describeValue(item.raw.slice(0, 100))}`);
        target.conforms(
          `${item.transport} ${type}`,
          (limit) => strict.issues(item.value, limit),
          (limit) => lenient.issues(item.value, limit),
        );
      } catch (error) {
        if (wrong.length < 3) target.observer?.exchange(show(item));
        wrong.push(`${item.transport} ${type}: ${(error as Error).message}`);
      }
    }
    expect(wrong.length === 0, `${wrong.length} of ${wire.received.length} events break the protocol; first: ${wrong[0]}`);
  });
  await check('SSE events are named milky_event', rules.sseName, async () => {
    const events = wire.received.filter((item) => item.transport === 'sse');
    if (events.length === 0) throw skip('no SSE event arrived during the run');
    const wrong = events.filter((item) => item.name !== 'milky_event');
    for (const item of wrong.slice(0, 2)) target.observer?.exchange(show(item));
    expect(wrong.length === 0, `${wrong.length} of ${events.length} SSE events came as event: ${describeValue(wrong[0]?.name)}`);
  });
  await check('WebSocket events are text frames', rules.textFrames, async () => {
    const events = wire.received.filter((item) => item.transport === 'websocket');
    if (events.length === 0) throw skip('no WebSocket event arrived during the run');
    const wrong = events.filter((item) => item.problem);
    expect(wrong.length === 0, `${wrong.length} events were ${wrong[0]?.problem}`);
  });
  await check('WebHook pushes are POSTs of application/json with the Bearer token', rules.webhookPush, async () => {
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
