/** Where the client logs: any object with these methods (console, pino, ...) fits. */
export interface Logger {
  /** Details, for debugging; not called when missing. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Things worth knowing, such as a fallback to SSE. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and were dealt with: an invalid event, a reconnection. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Things that went wrong and could not be dealt with. */
  error(message: string, fields?: Record<string, unknown>): void;
}

const line = (message: string, fields?: Record<string, unknown>) =>
  `[milky:client] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`;

/** The default: warnings and errors to stderr, one line each. */
export const consoleLogger: Logger = {
  info() {},
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};
