import { MilkyClient } from '@milky/client';
import type { Event, EventType } from '@milky/types';
import { ReferenceServer, type ReferenceServerOptions } from '../src/index.ts';

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
      client.disconnect?.();
      await server.close({ deadline: 0 });
    },
  };
}

export const png = (size = 4) => {
  // The smallest valid PNG the world accepts as an image, without importing the world's drawer.
  return import('../src/world/media.ts').then(({ drawPng }) => drawPng(size, 0x112233, 0x445566));
};
