// What the client takes from a runtime without Node.js modules (browsers, workers): the runtime's
// WebSocket, btoa for base64, and absolute paths only.
// package.json `imports` maps `#platform` here for the `browser` condition and by default.

export { openWebSocket } from '../events/websocket-platform.ts';

export function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(start, Math.min(start + 0x8000, bytes.length)));
  return btoa(binary);
}

/** An absolute path on the protocol side's machine as a `file://` URL; there is no working directory to resolve others from. */
export function fileUrl(path: string): string {
  if (!path.startsWith('/'))
    throw new TypeError(
      `media path ${JSON.stringify(path)}: outside Node.js only absolute paths are taken; pass the bytes, a URL or { base64 }`,
    );
  return new URL(`file://${path.split('/').map(encodeURIComponent).join('/')}`).href;
}
