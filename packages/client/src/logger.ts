/** Where the client logs: any object with these methods (console, pino, ...) fits. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
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
