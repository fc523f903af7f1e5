// emit(): validates an event, serializes it once, and hands the same bytes to every WebSocket
// client, every SSE client and the WebHook dispatcher.

import { type Event, eventValidator, MilkyValidationError } from '@milky/types';
import type { Logger, WebhookDispatcher } from '@milky/webhook';
import type { Metrics } from '../metrics.ts';
import type { SseClients } from './sse.ts';
import type { WebSocketClients } from './websocket.ts';

export class EventHub {
  private readonly validator = eventValidator();
  private readonly websocket: WebSocketClients;
  private readonly sse: SseClients;
  private readonly webhook: WebhookDispatcher | undefined;
  private readonly metrics: Metrics;
  private readonly logger: Logger;
  private discarded = 0;
  closed = false;

  constructor(deps: {
    websocket: WebSocketClients;
    sse: SseClients;
    webhook: WebhookDispatcher | undefined;
    metrics: Metrics;
    logger: Logger;
  }) {
    this.websocket = deps.websocket;
    this.sse = deps.sse;
    this.webhook = deps.webhook;
    this.metrics = deps.metrics;
    this.logger = deps.logger;
  }

  /** Sends an event to every client and WebHook; throws a `MilkyValidationError` when it breaks the protocol. */
  emit(event: Event): void {
    if (!this.validator.check(event)) throw new MilkyValidationError('event', this.validator.issues(event));
    if (this.closed) {
      this.discarded++;
      this.logger.warn('event emitted after close, not sent', { event_type: event.event_type, discarded: this.discarded });
      return;
    }
    const json = JSON.stringify(event);
    const payload = Buffer.from(json);
    this.websocket.broadcast(payload);
    this.sse.broadcast(json);
    this.webhook?.push(payload);
    this.metrics.emitted(event.event_type);
  }
}
