// Images, recordings, videos and files: read from the URIs apps give (`file://`, `base64://`,
// `http(s)://`), stored in the database once per content, and served back through signed,
// expiring links.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument, resourceUnavailable } from '../errors.ts';
import type { Database } from './database.ts';
import { inspect, type MediaInfo, sha1 } from './media.ts';

export interface LoadOptions {
  /** Largest resource accepted, in bytes. */
  readonly maxBytes: number;
  /** How long an `http(s)://` download may take, in ms. */
  readonly timeout: number;
  /** The folder `file://` URIs may read from, its symbolic links resolved; any file when absent. */
  readonly fileRoot?: string | undefined;
}

function tooLarge(field: string, maxBytes: number) {
  return invalidArgument(field, `the resource is larger than the ${maxBytes}-byte limit`);
}

function within(path: string, root: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * The file a path names, its symbolic links resolved, when it lies inside `root`; a path outside
 * is refused before anything is looked up, so that no answer tells what exists there.
 */
async function insideRoot(path: string, root: string, field: string): Promise<string> {
  const outside = () => invalidArgument(field, 'file:// URIs may only name files inside the folder the server reads from (fileRoot)');
  if (!within(resolve(path), root)) throw outside();
  const real = await realpath(path);
  if (!within(real, root)) throw outside();
  return real;
}

async function readFileUri(uri: string, field: string, { maxBytes, fileRoot }: LoadOptions): Promise<Buffer> {
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch {
    throw invalidArgument(field, `${JSON.stringify(uri)} is not a valid file:// URI (expected file:///absolute/path)`);
  }
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    if (fileRoot !== undefined) path = await insideRoot(path, fileRoot, field);
    handle = await open(path, 'r');
    const { size, isFile } = await handle.stat().then((stat) => ({ size: stat.size, isFile: stat.isFile() }));
    if (!isFile) throw resourceUnavailable(field, `${path} is not a regular file`);
    if (size > maxBytes) throw tooLarge(field, maxBytes);
    return await handle.readFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw resourceUnavailable(field, `no file at ${path}`);
    if ((error as NodeJS.ErrnoException).code === 'EACCES') throw resourceUnavailable(field, `${path} cannot be read`);
    throw error;
  } finally {
    await handle?.close();
  }
}

function decodeBase64(uri: string, field: string, { maxBytes }: LoadOptions): Buffer {
  const text = uri.slice('base64://'.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw invalidArgument(field, 'base64:// is followed by characters that are not base64');
  // Padding aside, four characters are three bytes: a text too long is refused before it is decoded.
  if (Math.floor((text.length * 3) / 4) > maxBytes + 2) throw tooLarge(field, maxBytes);
  const data = Buffer.from(text, 'base64');
  if (data.length > maxBytes) throw tooLarge(field, maxBytes);
  return data;
}

async function download(uri: string, field: string, { maxBytes, timeout }: LoadOptions): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(uri, { signal: AbortSignal.timeout(timeout), redirect: 'follow' });
  } catch (error) {
    const why =
      (error as Error).name === 'TimeoutError' ? `no answer within ${timeout} ms` : ((error as Error).cause as Error | undefined)?.message;
    throw resourceUnavailable(field, `${uri} could not be downloaded${why ? ` (${why})` : ''}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw resourceUnavailable(field, `${uri} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(field, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const part of response.body ?? []) {
      size += part.byteLength;
      if (size > maxBytes) throw tooLarge(field, maxBytes);
      chunks.push(part);
    }
  } catch (error) {
    if (error instanceof Error && 'retcode' in error) throw error;
    throw resourceUnavailable(field, `${uri} broke off while downloading`);
  }
  return Buffer.concat(chunks);
}

/** Reads the bytes a URI names; failures name `field` (such as `message[1].data.uri`). */
export async function loadUri(uri: string, field: string, options: LoadOptions): Promise<Buffer> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 'file') return readFileUri(uri, field, options);
  if (scheme === 'base64') return decodeBase64(uri, field, options);
  if (scheme === 'http' || scheme === 'https') return download(uri, field, options);
  throw invalidArgument(field, `expected a file://, http(s):// or base64:// URI, got ${JSON.stringify(uri.slice(0, 40))}`);
}

export type ResourceKind = 'image' | 'record' | 'video' | 'file' | 'avatar';

export interface StoredResource extends MediaInfo {
  readonly resourceId: string;
  readonly sha1: string;
  readonly size: number;
}

/** What is known of stored bytes without reading them: their type and size. */
export interface ResourceInfo {
  readonly mime: string;
  readonly size: number;
}

export interface ResourceContent extends ResourceInfo {
  readonly data: Uint8Array;
}

let pool = Buffer.alloc(0);
let used = 0;

/** A fresh identifier with a readable prefix: `image_3fJ…`. Random bytes are drawn a page at a time (one system call per 4 KiB). */
export function newId(prefix: string, bytes = 12): string {
  if (used + bytes > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += bytes;
  return `${prefix}${pool.subarray(used - bytes, used).toString('base64url')}`;
}

export class ResourceStore {
  private readonly db: Database;
  private readonly now: () => number;

  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
  }

  /**
   * Stores bytes (once per content) and returns the resource naming them. Call inside a
   * transaction. A resource is named by its kind and its content (`image_` and the SHA-1 in
   * base64url): the same picture sent again is the same resource, and storing it again adds no
   * row. (An id drawn at random cost a row per send, inserted at a random place in the index.)
   * The id tells nothing its holder cannot learn: the bytes are theirs to fetch.
   */
  put(data: Buffer, kind: ResourceKind, info: MediaInfo = inspect(data)): StoredResource {
    const hash = sha1(data);
    const resourceId = `${kind}_${Buffer.from(hash, 'hex').toString('base64url')}`;
    this.db.run('INSERT OR IGNORE INTO blobs (sha1, data, size, mime) VALUES (?, ?, ?, ?)', hash, data, data.length, info.mime);
    this.db.run(
      'INSERT OR IGNORE INTO resources (resource_id, sha1, kind, created) VALUES (?, ?, ?, ?)',
      resourceId,
      hash,
      kind,
      this.now(),
    );
    return { ...info, resourceId, sha1: hash, size: data.length };
  }

  has(resourceId: string): boolean {
    return this.db.get('SELECT 1 AS found FROM resources WHERE resource_id = ?', resourceId) !== undefined;
  }

  /** The type and size of a resource, its bytes left unread. */
  info(resourceId: string): ResourceInfo | undefined {
    return this.db.get<ResourceInfo>(
      'SELECT b.mime AS mime, b.size AS size FROM resources r JOIN blobs b ON b.sha1 = r.sha1 WHERE r.resource_id = ?',
      resourceId,
    );
  }

  content(resourceId: string): ResourceContent | undefined {
    return this.db.get<ResourceContent>(
      'SELECT b.data AS data, b.mime AS mime, b.size AS size FROM resources r JOIN blobs b ON b.sha1 = r.sha1 WHERE r.resource_id = ?',
      resourceId,
    );
  }
}

/** Links to what the server serves itself: signed and expiring for resources and files, plain for avatars. */
export class Links {
  private base: string;
  private readonly secret: Buffer;
  private readonly now: () => number;
  /** How long a signed link works, in seconds. */
  readonly ttl: number;

  constructor(secret: Buffer, now: () => number, ttl: number, base = 'http://127.0.0.1') {
    this.secret = secret;
    this.now = now;
    this.ttl = ttl;
    this.base = base.replace(/\/+$/, '');
  }

  /** Sets the address the links start with, once the server knows where it listens. */
  setBase(base: string): void {
    this.base = base.replace(/\/+$/, '');
  }

  get origin(): string {
    return this.base;
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('base64url').slice(0, 32);
  }

  /** A link to `/media/<id>` or `/files/<id>` that works for `ttl` seconds. */
  signed(kind: 'media' | 'files', id: string): string {
    const path = `/${kind}/${encodeURIComponent(id)}`;
    const expires = this.now() + this.ttl;
    return `${this.base}${path}?expires=${expires}&signature=${this.signature(path, expires)}`;
  }

  /** Whether a request for `path` carries a valid signature that has not expired. */
  verify(path: string, query: URLSearchParams): boolean {
    const expires = Number(query.get('expires'));
    const presented = Buffer.from(query.get('signature') ?? '');
    const expected = Buffer.from(this.signature(path, expires));
    if (!Number.isSafeInteger(expires) || expires < this.now()) return false;
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }

  avatar(kind: 'user' | 'group', id: number): string {
    return `${this.base}/avatars/${kind}/${id}`;
  }
}
