// Requests exactly as the checks mean them: any method, any headers, any body bytes, no header
// added behind the check's back (as fetch would add a Content-Type).

import http from 'node:http';
import https from 'node:https';

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** ms; default 15 000. */
  readonly timeout?: number;
}

/** One request; resolves with the whole answer. */
export function request(url: URL, { method = 'POST', headers = {}, body, timeout = 15_000 }: RawRequest = {}): Promise<RawResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.on('error', reject);
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(body);
  });
}

/**
 * Opens a streaming GET and resolves with the status and headers as soon as they arrive; the
 * body keeps coming through `onData` until `close()`.
 */
export function openStream(
  url: URL,
  headers: Record<string, string>,
  onData: (text: string) => void,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; close(): void }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: 'GET', headers, agent: false });
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15000 ms')));
    req.on('error', reject);
    req.on('response', (response) => {
      req.setTimeout(0);
      response.setEncoding('utf8');
      response.on('data', onData);
      response.on('error', () => {});
      resolve({ status: response.statusCode ?? 0, headers: response.headers, close: () => req.destroy() });
    });
    req.end();
  });
}

export function mediaType(headers: http.IncomingHttpHeaders): string | undefined {
  return headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}
