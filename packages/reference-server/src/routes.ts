// What the reference server serves besides the Milky endpoints: stored resources and files behind
// signed links, and avatars. These need no access token: a signed link is its own credential.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitConnection } from '@milky/server';
import { httpAnswers, milkyVersion } from '@milky/types';
import { forbidden, internalServerError, serviceUnavailable } from './internal/statuses.ts';
import { coloursOf, drawPng } from './world/media.ts';
import type { ResourceInfo } from './world/resources.ts';
import type { World } from './world/world.ts';

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function body(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  data: Uint8Array,
): void {
  response.writeHead(status, { ...headers, 'content-length': data.byteLength, 'x-content-type-options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : data);
}

/** A resource or file as a download link finds it: its bytes only for GET. */
type Stored = ResourceInfo & { readonly data?: Uint8Array };

/** The answer to `HEAD` of a resource or file: its headers, from what is stored of it, its bytes left unread. */
function head(response: ServerResponse, headers: Record<string, string | number>, size: number): void {
  response.writeHead(200, { ...headers, 'content-length': size, 'x-content-type-options': 'nosniff' });
  response.end();
}

/**
 * The bytes of downloads being sent: each is held in memory until the socket takes it all, so
 * their sum is bounded; one download is always let through, however large. (A download is read
 * whole: node:sqlite reads no part of a blob without loading all of it, so reading one in pieces
 * would load it once per piece.)
 */
class DownloadBudget {
  private sending = 0;
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Sends `data` and returns true, or answers 503 while others hold too many bytes. */
  send(request: IncomingMessage, response: ServerResponse, headers: Record<string, string | number>, data: Uint8Array): boolean {
    const size = request.method === 'HEAD' ? 0 : data.byteLength;
    if (this.sending > 0 && this.sending + size > this.limit) {
      response.setHeader('retry-after', '1');
      plain(
        response,
        serviceUnavailable,
        `downloads in progress hold ${this.sending} bytes; the limit is ${this.limit} (downloadBufferLimit): retry shortly`,
      );
      return false;
    }
    this.sending += size;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.sending -= size;
    };
    response.once('finish', release);
    response.once('close', release);
    body(request, response, 200, headers, data);
    return true;
  }
}

/** `filename*=` of a Content-Disposition header (RFC 6266), for any name. */
function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface RoutesInfo {
  readonly name: string;
  readonly version: string;
  /** Where the Milky endpoints are, such as `/` or `/milky/`. */
  readonly prefix: string;
  /** Most bytes of resources and files being sent at once. */
  readonly downloadBufferLimit: number;
}

/** Serves `/media/…`, `/files/…`, `/avatars/…` and `/`; anything else is 404. */
export function routes(world: World, info: RoutesInfo): (request: IncomingMessage, response: ServerResponse) => void {
  const downloads = new DownloadBudget(info.downloadBufferLimit);
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://reference.invalid');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [kind, id, extra] = parts;
    const known = parts.length === 0 || kind === 'media' || kind === 'files' || kind === 'avatars';
    if (!known) {
      plain(response, httpAnswers.NotFound.status, 'not found');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      plain(response, httpAnswers.MethodNotAllowed.status, 'only GET and HEAD are served here');
      return;
    }
    try {
      if (parts.length === 0) {
        const text = JSON.stringify({
          impl_name: info.name,
          impl_version: info.version,
          milky_version: milkyVersion,
          endpoints: info.prefix,
        });
        body(request, response, 200, { 'content-type': 'application/json; charset=utf-8' }, Buffer.from(text));
        return;
      }
      if ((kind === 'media' || kind === 'files') && id !== undefined && extra === undefined) {
        if (!world.links.verify(`/${kind}/${encodeURIComponent(id)}`, url.searchParams)) {
          plain(response, forbidden, 'this link is not valid or has expired; ask for a new one');
          return;
        }
        // A signed link is its own credential: its connection no longer counts as unadmitted.
        admitConnection(request.socket);
        // HEAD is answered from what is stored of the bytes (type, size), which are left unread.
        const headOnly = request.method === 'HEAD';
        if (kind === 'media') {
          const found: Stored | undefined = headOnly ? world.resources.info(id) : world.resources.content(id);
          const headers = { 'content-type': found?.mime ?? '', 'cache-control': 'private, max-age=3600' };
          if (!found) plain(response, httpAnswers.NotFound.status, 'no such resource');
          else if (!found.data) head(response, headers, found.size);
          else downloads.send(request, response, headers, found.data);
        } else {
          const found: (Stored & { name: string }) | undefined = headOnly ? world.files.describe(id) : world.files.download(id, false);
          const headers = { 'content-type': 'application/octet-stream', 'content-disposition': attachment(found?.name ?? '') };
          if (!found) plain(response, httpAnswers.NotFound.status, 'no such file');
          else if (!found.data) head(response, headers, found.size);
          else if (downloads.send(request, response, headers, found.data)) world.files.countDownload(id);
        }
        return;
      }
      if (kind === 'avatars' && (id === 'user' || id === 'group') && extra !== undefined && /^\d+$/.test(extra)) {
        const number = Number(extra);
        const stored = id === 'user' ? world.user(number)?.avatar : world.group(number)?.avatar;
        const content = stored ? world.resources.content(stored) : undefined;
        if (content) body(request, response, 200, { 'content-type': content.mime, 'cache-control': 'no-cache' }, content.data);
        else
          body(
            request,
            response,
            200,
            { 'content-type': 'image/png', 'cache-control': 'max-age=86400' },
            drawPng(64, ...coloursOf(number)),
          );
        return;
      }
      plain(response, httpAnswers.NotFound.status, 'not found');
    } catch (error) {
      if (!response.headersSent) plain(response, internalServerError, 'internal error');
      else response.destroy(error as Error);
    }
  };
}
