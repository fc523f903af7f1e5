// Reads a request body into memory, refusing more than the limit.

import type { IncomingMessage } from 'node:http';

export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

/** Reads the body and calls `done` once; a body over `limit` bytes stops the reading. */
export function readBody(request: IncomingMessage, limit: number, done: (result: BodyResult) => void): void {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    done({ ok: false, reason: 'too-large' });
    return;
  }
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  request.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      settled = true;
      done({ ok: false, reason: 'too-large' });
    } else if (first === undefined) first = chunk;
    else {
      chunks ??= [first];
      chunks.push(chunk);
    }
  });
  request.on('end', () => {
    if (settled) return;
    settled = true;
    done({ ok: true, body: chunks ? Buffer.concat(chunks, size) : (first ?? Buffer.alloc(0)) });
  });
  request.on('error', () => {
    if (settled) return;
    settled = true;
    done({ ok: false, reason: 'aborted' });
  });
}
