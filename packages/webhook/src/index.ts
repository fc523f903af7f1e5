export { type Backoff, backoffDelay, defaultRetry, isRetryableStatus, parseRetryAfter, type RetryOptions } from './backoff.ts';
export { type CloseReport, WebhookDispatcher, type WebhookOptions, type WebhookTarget } from './dispatcher.ts';
export { consoleLogger, type Logger, redactUrl, silentLogger } from './logger.ts';
export type { BacklogOptions, TargetStats, WebhookEvents } from './target.ts';
