// What the client takes from Node.js (also Deno and Bun, which read the `node` condition): the
// `ws` WebSocket with headers and pings, Buffer's base64, and file paths.
// package.json `imports` maps `#platform` here for Node.js, to ./web.ts elsewhere.

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export { openWebSocket } from '../events/websocket-ws.ts';

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A path on this machine, relative to the working directory, as a `file://` URL. */
export function fileUrl(path: string): string {
  return pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
}
