/** Where the package writes what happens: any object with these methods (console, pino, ...) fits. */
export interface Logger {
  /** Details, for debugging; not called when missing. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Things worth knowing. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and were dealt with: a retry, a dropped event. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and could not be dealt with: a delivery given up on. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default logger: warnings and errors to stderr, one line each; nothing below. */
export const consoleLogger: Logger = {
  info() {},
  warn(message, fields) {
    console.warn(`[milky:webhook] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  },
  error(message, fields) {
    console.error(`[milky:webhook] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  },
};

/** A logger that writes nothing. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

const secretParameters = /^(access_?token|token|key|secret|password|auth)$/i;

/**
 * A URL fit for logs: credentials and token-like query parameters replaced by `***`.
 * A request path (`/event?access_token=...`) stays a path.
 */
export function redactUrl(url: string | URL): string {
  const relative = typeof url === 'string' && url.startsWith('/');
  let parsed: URL;
  try {
    parsed = relative ? new URL(url, 'http://relative.invalid') : new URL(url);
  } catch {
    return '(invalid URL)';
  }
  if (parsed.username) parsed.username = '***';
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (secretParameters.test(name)) parsed.searchParams.set(name, '***');
  }
  return relative ? `${parsed.pathname}${parsed.search}${parsed.hash}` : parsed.href;
}
