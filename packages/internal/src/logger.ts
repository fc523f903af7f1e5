// Logging as every package does it: an interface any logger fits (console, pino, ...), a default
// that writes warnings and errors to stderr under the package's own name, and URLs fit for logs.

/** Where a package writes what happens: any object with these methods (console, pino, ...) fits. */
export interface Logger {
  /** Details, for debugging; not called when missing. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Things worth knowing: connections, starts and stops, a fallback. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and were dealt with: a retry, a reconnection, a dropped event. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and could not be dealt with: a delivery given up on. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One log line: `[milky:<name>] message {"field":...}`, the fields left out when there are none. */
export function logLine(name: string, message: string, fields?: Record<string, unknown>): string {
  return `[milky:${name}] ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`;
}

/**
 * The default logger of the package `name`: warnings and errors to stderr, one line each under
 * `[milky:<name>]`; `info` too when `info` is set (commands that run as services say what they do).
 */
export function namedLogger(name: string, { info = false } = {}): Logger {
  return {
    info: info ? (message, fields) => console.error(logLine(name, message, fields)) : () => {},
    warn: (message, fields) => console.warn(logLine(name, message, fields)),
    error: (message, fields) => console.error(logLine(name, message, fields)),
  };
}

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
