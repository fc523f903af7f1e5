// Access tokens: read from `Authorization: Bearer` or `?access_token=`, compared in constant time
// (both sides hashed first, so that neither the content nor the length of the token leaks through
// timing), and never logged.

import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** A check of presented tokens against the expected one; with none expected, everything passes. */
export function tokenCheck(expected: string | undefined): (presented: string | undefined) => boolean {
  if (expected === undefined) return () => true;
  const want = digest(expected);
  return (presented) => presented !== undefined && timingSafeEqual(digest(presented), want);
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case). */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header || header.length < 8) return undefined;
  if (header.charCodeAt(6) !== 32 || header.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  // Tokens are whatever the operator chose: everything after the scheme counts, spaces included.
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

/** The `access_token` query parameter of a request path. */
export function queryToken(path: string): string | undefined {
  const question = path.indexOf('?');
  if (question < 0) return undefined;
  return new URLSearchParams(path.slice(question + 1)).get('access_token') ?? undefined;
}
