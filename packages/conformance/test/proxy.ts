// A server that is another server with a few changes: it forwards everything to an upstream
// Milky server (WebSocket upgrades as raw bytes, event streams as they come) and lets a test answer
// API calls itself or rewrite their answers, and rewrite the events of Server-Sent Events.

import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly headers: http.OutgoingHttpHeaders;
  readonly text: string;
}

export interface ProxyOptions {
  /** Answers an API call without asking upstream (return undefined to forward it). */
  readonly answer?: (request: http.IncomingMessage, body: Buffer) => Answer | undefined;
  /** Changes upstream's answer to an API call. */
  readonly rewrite?: (request: http.IncomingMessage, answer: Answer) => Answer;
  /** Changes the JSON of each event sent over Server-Sent Events. */
  readonly event?: (event: Record<string, unknown>) => Record<string, unknown>;
  /** The name each event of Server-Sent Events is sent under, instead of upstream's. */
  readonly eventName?: string;
  /** Sent on each event stream as soon as it opens, before anything from upstream. */
  readonly prelude?: string;
}

export async function proxy(upstreamUrl: string, options: ProxyOptions = {}) {
  const upstream = new URL(upstreamUrl);
  const forward = (request: http.IncomingMessage, body: Buffer | undefined, respond: (answer: http.IncomingMessage) => void) => {
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
      respond,
    );
    out.on('error', () => {});
    if (body) out.end(body);
    else request.pipe(out);
    return out;
  };
  const server = http.createServer((request, response) => {
    if (!request.url?.includes('/api/')) {
      const out = forward(request, undefined, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        if (
          !/text\/event-stream/.test(String(answer.headers['content-type'])) ||
          (!options.event && !options.prelude && !options.eventName)
        ) {
          answer.pipe(response);
          return;
        }
        if (options.prelude) response.write(options.prelude);
        let buffer = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          const changed = lines.map((line) => {
            if (line.startsWith('data: ') && options.event) return `data: ${JSON.stringify(options.event(JSON.parse(line.slice(6))))}`;
            if (line.startsWith('event: ') && options.eventName) return `event: ${options.eventName}`;
            return line;
          });
          if (changed.length > 0) response.write(`${changed.join('\n')}\n`);
        });
      });
      response.on('close', () => out.destroy());
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const own = options.answer?.(request, body);
      if (own) {
        response.writeHead(own.status, own.headers).end(own.text);
        return;
      }
      forward(request, body, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (part: Buffer) => parts.push(part));
        answer.on('end', () => {
          const { 'content-length': _, ...headers } = answer.headers;
          const got: Answer = { status: answer.statusCode ?? 502, headers, text: Buffer.concat(parts).toString() };
          const sent = options.rewrite ? options.rewrite(request, got) : got;
          response.writeHead(sent.status, sent.headers).end(sent.text);
        });
      });
    });
  });
  server.on('upgrade', (request, socket, head) => {
    const raw = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${String(v)}`)];
      raw.write(`${lines.join('\r\n')}\r\n\r\n`);
      raw.write(head);
      raw.pipe(socket).pipe(raw);
    });
    raw.on('error', () => socket.destroy());
    socket.on('error', () => raw.destroy());
  });
  return listening(server);
}

/** Starts `server` on a free loopback port; disposing of the result closes it and its connections. */
export async function listening(server: http.Server): Promise<{ url: string } & AsyncDisposable> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A JSON answer of the protocol's envelope. */
export function envelope(value: object): Answer {
  return { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(value) };
}
