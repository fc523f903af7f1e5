// emit(): validates an event, serializes it once (encoded straight into its WebSocket frame, whose
// payload is the event's JSON), and hands the same bytes to every WebSocket client, every SSE
// client and the WebHook dispatcher. An event larger than the limit is refused,
// counted and logged: no client could be relied on to take it.

import { type Event, eventValidator, MilkyValidationError } from '@milky/types';
import type { Logger, WebhookDispatcher } from '@milky/webhook';
import type { Metrics } from '../metrics.ts';
import type { SseClients } from './sse.ts';
import { textFrame, type WebSocketClients } from './websocket.ts';

export class EventHub {
  private readonly validator = eventValidator();
  private readonly websocket: WebSocketClients;
  private readonly sse: SseClients;
  private readonly webhook: WebhookDispatcher | undefined;
  private readonly metrics: Metrics;
  private readonly logger: Logger;
  private readonly maxEventBytes: number;
  private discarded = 0;
  closed = false;

  constructor(deps: {
    websocket: WebSocketClients;
    sse: SseClients;
    webhook: WebhookDispatcher | undefined;
    metrics: Metrics;
    logger: Logger;
    maxEventBytes: number;
  }) {
    this.maxEventBytes = deps.maxEventBytes;
    this.websocket = deps.websocket;
    this.sse = deps.sse;
    this.webhook = deps.webhook;
    this.metrics = deps.metrics;
    this.logger = deps.logger;
  }

  /**
   * Sends an event to every client and WebHook; throws a `MilkyValidationError` when it breaks
   * the protocol, and a `RangeError` when its JSON is larger than the limit.
   */
  emit(event: Event): void {
    if (!this.validator.check(event)) throw new MilkyValidationError('event', this.validator.issues(event));
    if (this.closed) {
      this.discarded++;
      this.logger.warn('event emitted after close, not sent', { event_type: event.event_type, discarded: this.discarded });
      return;
    }
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxEventBytes) {
      this.metrics.refusedEvent(event.event_type);
      const message = `the ${event.event_type} event is ${bytes} bytes, more than the ${this.maxEventBytes}-byte limit (maxEventBytes): not sent`;
      this.logger.error(message, { event_type: event.event_type, bytes, limit: this.maxEventBytes });
      throw new RangeError(message);
    }
    const frame = textFrame(json, bytes);
    const payload = frame.subarray(frame.length - bytes);
    this.websocket.broadcast(frame);
    this.sse.broadcast(payload);
    this.webhook?.push(payload);
    this.metrics.emitted(event.event_type);
  }
}
