import { type Logger, namedLogger } from './internal/logger.ts';

export type { Logger } from './internal/logger.ts';

/** The default: warnings and errors to stderr, one line each under `[milky:client]`. */
export const consoleLogger: Logger = namedLogger('client');
