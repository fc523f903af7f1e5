// One HTTP POST per attempt, through got tuned for this use: a keep-alive agent per target,
// no retries of its own (the queue retries), no decompression, no redirects, HTTP errors
// returned rather than thrown, and the response body discarded unread.

import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';

export interface AttemptResult {
  /** The status of the response, or `undefined` when no response came. */
  readonly status: number | undefined;
  /** `Retry-After` of the response, when it sent one. */
  readonly retryAfter: string | undefined;
  /** What went wrong, when something did. */
  readonly error: Error | undefined;
}

export interface Transport {
  post(url: string, body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<AttemptResult>;
  close(): void;
}

/** A got client and its agents for one target, allowing `sockets` connections at once. */
export function createTransport(options: { sockets: number; timeout: number }): Transport {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: options.sockets, maxFreeSockets: options.sockets }),
    https: new https.Agent({ keepAlive: true, maxSockets: options.sockets, maxFreeSockets: options.sockets }),
  };
  const client: Got = got.extend({
    agent: agents,
    retry: { limit: 0 },
    decompress: false,
    followRedirect: false,
    throwHttpErrors: false,
    timeout: { request: options.timeout },
  });
  return {
    post(url, body, headers, signal) {
      return new Promise((resolve) => {
        let status: number | undefined;
        let retryAfter: string | undefined;
        const stream = client.stream.post(url, { body, headers, signal });
        stream.once('response', (response: http.IncomingMessage) => {
          status = response.statusCode;
          const header = response.headers['retry-after'];
          retryAfter = Array.isArray(header) ? header[0] : header;
        });
        stream.once('end', () => resolve({ status, retryAfter, error: undefined }));
        stream.once('error', (error: Error) => resolve({ status, retryAfter, error }));
        stream.resume();
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
