import { type Logger, namedLogger } from './internal/logger.ts';

export { type Logger, silentLogger } from './internal/logger.ts';

/** The default: one line each to stderr under `[milky:broker]`, `info` included (the broker runs as a service). */
export const consoleLogger: Logger = namedLogger('broker', { info: true });
