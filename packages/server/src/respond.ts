// Writing responses: the API envelopes, and short plain-text answers for the HTTP-level rules.

import type { ServerResponse } from 'node:http';
import type { ApiFailure } from '@milky/types';

const jsonType = 'application/json; charset=utf-8';

/** Writes a complete response in one go. */
export function send(response: ServerResponse, status: number, contentType: string, body: string, headers?: Record<string, string>): void {
  if (response.headersSent) return;
  const length = Buffer.byteLength(body);
  response.writeHead(
    status,
    headers
      ? { ...headers, 'content-type': contentType, 'content-length': length }
      : { 'content-type': contentType, 'content-length': length },
  );
  response.end(body);
}

/** A plain-text answer for the HTTP-level rules (401, 404, 405, 413, 415, 503). */
export function sendStatus(response: ServerResponse, status: number, message: string, headers?: Record<string, string>): void {
  send(response, status, 'text/plain; charset=utf-8', `${message}\n`, headers);
}

/** `{"status":"ok","retcode":0,"data":...}`, with `data` already serialized. */
export function sendSuccess(response: ServerResponse, data: string): void {
  send(response, 200, jsonType, `{"status":"ok","retcode":0,"data":${data}}`);
}

export function sendFailure(response: ServerResponse, failure: ApiFailure): void {
  send(response, 200, jsonType, JSON.stringify(failure));
}

/** Whether a `Content-Type` is JSON in UTF-8: `application/json`, with no charset or `charset=utf-8`. */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header === 'application/json') return true;
  const [type = '', ...parameters] = header.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset' && value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') return false;
  }
  return true;
}
