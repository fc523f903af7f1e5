/** Where the broker logs: any object with these methods (console, pino, ...) fits. */
export interface Logger {
  /** What happens in normal operation (connections, starts and stops). */
  info(message: string, fields?: Record<string, unknown>): void;
  /** What an operator should look at: drops, retries, reconnections. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Failures: dead letters, a stream that cannot be written. */
  error(message: string, fields?: Record<string, unknown>): void;
}

const line = (message: string, fields?: Record<string, unknown>) =>
  `[milky:broker] ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`;

/** The default: one line each to stderr. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.error(line(message, fields)),
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};

/** A logger that says nothing. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
