// A WebHook receiver: the protocol side POSTs each event to it. Framework-neutral (node:http,
// fetch `Request` → `Response`, express), it checks the Bearer token in constant time, answers 204,
// and hands events out through the same typed API as a client's event stream.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpAnswers } from '@milky/types';
import type { Validation } from './call.ts';
import { MilkyEvents } from './events/emitter.ts';
import { bearerToken, tokenCheck } from './internal/tokens.ts';
import { consoleLogger, type Logger } from './logger.ts';

/** Options of a `MilkyWebhookReceiver`. */
export interface WebhookReceiverOptions {
  /** The token the protocol side sends as `Authorization: Bearer`; without one, any request is taken. */
  readonly token?: string | undefined;
  /** How events are checked; see `ClientOptions.validation`. Default `lenient`. */
  readonly validation?: Validation | undefined;
  /** Largest body taken, in bytes. Default 16 MiB. */
  readonly bodyLimit?: number | undefined;
  /** Where the receiver logs refused requests and invalid events; `console` by default, without `info`. */
  readonly logger?: Logger | undefined;
}

interface Answer {
  readonly status: number;
  readonly message?: string;
  readonly headers?: Record<string, string>;
}

function isJson(contentType: string | null | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Receives the events a protocol side POSTs to a WebHook URL, and hands them out like a client does: `on`, `events()`, `raw`, `invalid`. */
export class MilkyWebhookReceiver extends MilkyEvents {
  private readonly accepts: (presented: string | undefined) => boolean;
  private readonly bodyLimit: number;

  constructor(options: WebhookReceiverOptions = {}) {
    super({ validation: options.validation ?? 'lenient', logger: options.logger ?? consoleLogger });
    this.accepts = tokenCheck(options.token);
    this.bodyLimit = options.bodyLimit ?? 16 * 1024 * 1024;
  }

  private authorized(header: string | null | undefined): boolean {
    return this.accepts(bearerToken(header));
  }

  /** Everything but the body: method, token, type, size. */
  private admit(
    method: string | undefined,
    authorization: string | null | undefined,
    contentType: string | null | undefined,
    length: number | undefined,
  ): Answer | undefined {
    if (method !== 'POST')
      return {
        status: httpAnswers.MethodNotAllowed.status,
        message: 'events are POSTed',
        headers: { allow: httpAnswers.MethodNotAllowed.allow },
      };
    if (!this.authorized(authorization))
      return { status: httpAnswers.Unauthorized.status, message: 'a valid token is required', headers: { 'www-authenticate': 'Bearer' } };
    if (!isJson(contentType)) return { status: httpAnswers.UnsupportedMediaType.status, message: 'events are sent as application/json' };
    if (length !== undefined && length > this.bodyLimit)
      return { status: httpAnswers.PayloadTooLarge.status, message: `the body is larger than ${this.bodyLimit} bytes` };
    return undefined;
  }

  private take(body: string): Answer {
    let taken = true;
    const listener = () => {
      taken = false;
    };
    this.once('invalid', listener);
    this.ingest(body);
    this.off('invalid', listener);
    return taken ? { status: 204 } : { status: 400, message: 'the event is not valid' };
  }

  /** A node:http request handler: `http.createServer(receiver.node)`. */
  readonly node = (request: IncomingMessage, response: ServerResponse): void => {
    const send = ({ status, message, headers }: Answer) => {
      response.writeHead(status, { ...headers, ...(message ? { 'content-type': 'text/plain; charset=utf-8' } : {}) });
      response.end(message ? `${message}\n` : undefined);
    };
    const declared = request.headers['content-length'];
    const refused = this.admit(
      request.method,
      request.headers.authorization,
      request.headers['content-type'],
      declared === undefined ? undefined : Number(declared),
    );
    if (refused) {
      send(refused);
      request.resume();
      return;
    }
    if (request.readableEnded) {
      // A body parser already read it (express.json()): take what it parsed.
      send(this.take(JSON.stringify((request as { body?: unknown }).body ?? null)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.bodyLimit) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > this.bodyLimit)
        send({ status: httpAnswers.PayloadTooLarge.status, message: `the body is larger than ${this.bodyLimit} bytes` });
      else send(this.take(Buffer.concat(chunks).toString('utf8')));
    });
  };

  /** A fetch-style handler: `Request` in, `Response` out (Bun, Deno, Hono, workers...). */
  readonly fetch = async (request: Request): Promise<Response> => {
    const declared = request.headers.get('content-length');
    const refused = this.admit(
      request.method,
      request.headers.get('authorization'),
      request.headers.get('content-type'),
      declared === null ? undefined : Number(declared),
    );
    let answer: Answer;
    if (refused) answer = refused;
    else {
      const body = await request.text();
      answer =
        Buffer.byteLength(body) > this.bodyLimit
          ? { status: httpAnswers.PayloadTooLarge.status, message: `the body is larger than ${this.bodyLimit} bytes` }
          : this.take(body);
    }
    return new Response(answer.message ? `${answer.message}\n` : null, {
      status: answer.status,
      headers: { ...answer.headers, ...(answer.message ? { 'content-type': 'text/plain; charset=utf-8' } : {}) },
    });
  };

  /** Express middleware: `app.post('/milky/webhook', receiver.express())`. */
  express(): (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void {
    return (request, response) => this.node(request, response);
  }

  /** Ends the event iterators. */
  close(): void {
    this.endIterators();
  }
}
