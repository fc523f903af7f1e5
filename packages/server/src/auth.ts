// Access tokens: compared in constant time and never logged (see internal/tokens.ts).

import type { IncomingMessage } from 'node:http';
import { bearerToken as bearerOf } from './internal/tokens.ts';

export { queryToken, tokenCheck } from './internal/tokens.ts';

/** The token of a request's `Authorization: Bearer <token>` header. */
export function bearerToken(request: IncomingMessage): string | undefined {
  return bearerOf(request.headers.authorization);
}
