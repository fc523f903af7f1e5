import { type Logger, namedLogger } from './internal/logger.ts';

export { type Logger, redactUrl, silentLogger } from './internal/logger.ts';

/** The default logger: warnings and errors to stderr, one line each under `[milky:webhook]`; nothing below. */
export const consoleLogger: Logger = namedLogger('webhook');
