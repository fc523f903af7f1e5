import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MilkyClient } from '@milky/client';
import { MilkyWebhookReceiver } from '@milky/client/webhook';
import type { Event, EventType } from '@milky/types';
import { ReferenceServer, type ReferenceServerOptions } from '../src/index.ts';
import { drawPng } from '../src/world/media.ts';

export { worldRetcodes as codes } from '../src/index.ts';

export const silent = { info() {}, warn() {}, error() {} };
export const token = 'test-token';

/**
 * A reference server on a free loopback port with an in-memory demo world, handler results checked
 * against the protocol, and a client that validates strictly. Dispose with `await using`.
 */
export async function start(options: ReferenceServerOptions = {}) {
  const server = await ReferenceServer.create({
    accessToken: token,
    port: 0,
    validateOutput: true,
    logger: silent,
    ...options,
  });
  const { url } = await server.listen();
  const client = new MilkyClient({ baseUrl: url, accessToken: token, validation: 'strict' });
  const events: Event[] = [];
  server.world.onEvent((event) => events.push(event));
  return {
    server,
    client,
    url,
    world: server.world,
    /** Events the world has sent so far, of one type. */
    sent<T extends EventType>(type: T) {
      return events.filter((event): event is Extract<Event, { event_type: T }> => event.event_type === type);
    },
    events,
    async [Symbol.asyncDispose]() {
      await client.disconnect();
      await server.close({ deadline: 0 });
    },
  };
}

/** A small PNG, as bytes and as a `base64://` URI. */
export function png(size = 4, colour = 0x112233) {
  const bytes = drawPng(size, colour, 0x445566);
  return { bytes, uri: `base64://${bytes.toString('base64')}` };
}

export function base64Uri(data: Buffer | string): string {
  return `base64://${Buffer.from(data).toString('base64')}`;
}

/** The bytes a URL answers with (failing on anything but 200). */
export async function download(url: string): Promise<{ bytes: Buffer; type: string | null }> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
}

/** Expects a call to fail with a retcode, and returns the error's message. */
export async function failure(call: Promise<unknown>, retcode: number): Promise<string> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught as { retcode?: number; message: string },
  );
  if (!error) throw new Error(`expected the call to fail with retcode ${retcode}, but it succeeded`);
  if (error.retcode !== retcode) throw new Error(`expected retcode ${retcode}, got ${String(error.retcode)}: ${error.message}`);
  return error.message;
}

/**
 * Events as they arrive from one subscriber; `until(n)` resolves once the first n have arrived
 * (woken by each arrival, so a test waits exactly as long as delivery takes, bounded by its own timeout).
 */
function recorder(source: MilkyClient | MilkyWebhookReceiver) {
  const received: Event[] = [];
  const waiters = new Set<() => void>();
  const arrived = (event: Event) => {
    received.push(event);
    for (const wake of waiters) wake();
  };
  source.on('event', (event) => arrived(event as Event));
  source.on('invalid', (invalid) => arrived({ invalid: invalid.error.message } as unknown as Event));
  const until = (count: number) =>
    new Promise<Event[]>((resolve) => {
      const wake = () => {
        if (received.length < count) return;
        waiters.delete(wake);
        resolve(received);
      };
      waiters.add(wake);
      wake();
    });
  return { received, until };
}

/** A strict WebHook receiver on a free loopback port: start it first, and give its URL to the server. */
export async function webhookReceiver() {
  const receiver = new MilkyWebhookReceiver({ token, validation: 'strict' });
  const server = http.createServer(receiver.node);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { receiver, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** Strict WebSocket and SSE clients of a running server, and the WebHook receiver, each recording what it gets. */
export async function subscribe(url: string, hook: Awaited<ReturnType<typeof webhookReceiver>>) {
  const ws = new MilkyClient({ baseUrl: url, accessToken: token, validation: 'strict' });
  const sse = new MilkyClient({ baseUrl: url, accessToken: token, validation: 'strict' });
  const wires = { websocket: recorder(ws), sse: recorder(sse), webhook: recorder(hook.receiver) };
  await ws.connect({ transport: 'websocket' });
  await sse.connect({ transport: 'sse' });
  return {
    wires,
    async [Symbol.asyncDispose]() {
      await ws.disconnect();
      await sse.disconnect();
      hook.close();
    },
  };
}
