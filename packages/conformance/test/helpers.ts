import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReferenceServer, type ReferenceServerOptions } from '@milky/reference-server';

export const silent = { info() {}, warn() {}, error() {} };

/** A free loopback port (for the suite's WebHook receiver, which the server must know first). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The reference server on a free port, pushing WebHooks to `webhookPort`, with its sandbox. */
export async function reference(webhookPort: number, options: ReferenceServerOptions = {}) {
  const server = await ReferenceServer.create({
    accessToken: 'conformance-token',
    controlToken: 'conformance-control',
    port: 0,
    logger: silent,
    webhook: [`http://127.0.0.1:${webhookPort}/`],
    ...options,
  });
  const { url } = await server.listen();
  return {
    server,
    url,
    async [Symbol.asyncDispose]() {
      await server.close({ deadline: 0 });
    },
  };
}
