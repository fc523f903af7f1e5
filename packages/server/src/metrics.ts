// Counters of what the server did, as a snapshot object and in the Prometheus text format.

import type { TargetStats } from '@milky/webhook';
import type { RefusalReason } from './connections.ts';

/** How an event client is connected. */
export type Transport = 'websocket' | 'sse';
/** Why an event client was let go: it fell behind (`slow`), or answered no heartbeat (`heartbeat`). */
export type DropReason = 'slow' | 'heartbeat';

/** What the server did since it started: calls, refusals, events, clients and WebHook deliveries. */
export interface MetricsSnapshot {
  /** Answered API calls, by API and retcode (0 is success). */
  readonly calls: Record<string, Record<string, number>>;
  /** Requests refused at the HTTP level, by status (401, 404, 405, 413, 415, 503). */
  readonly rejected: Record<string, number>;
  /** Events emitted, by event type. */
  readonly events: Record<string, number>;
  /** Events refused for being larger than `maxEventBytes`, by event type. */
  readonly refusedEvents: Record<string, number>;
  /** Connections refused for the server being at `maxConnections`. */
  readonly refusedConnections: number;
  /** Connections refused for their address having `maxPendingPerAddress` connections not yet admitted. */
  readonly refusedPendingConnections: number;
  /** Event clients connected now. */
  readonly clients: Record<Transport, number>;
  /** Event clients disconnected by the server: too slow to keep up, or dead. */
  readonly dropped: Record<Transport, Record<DropReason, number>>;
  /** Deliveries per WebHook URL. */
  readonly webhooks: readonly TargetStats[];
}

export class Metrics {
  private readonly calls = new Map<string, Map<number, number>>();
  private readonly rejections = new Map<number, number>();
  private readonly events = new Map<string, number>();
  private readonly tooLarge = new Map<string, number>();
  private readonly connectionsRefused: Record<RefusalReason, number> = { connections: 0, pending: 0 };
  private readonly drops: Record<Transport, Record<DropReason, number>> = {
    websocket: { slow: 0, heartbeat: 0 },
    sse: { slow: 0, heartbeat: 0 },
  };

  call(api: string, retcode: number): void {
    let byRetcode = this.calls.get(api);
    if (!byRetcode) {
      byRetcode = new Map();
      this.calls.set(api, byRetcode);
    }
    byRetcode.set(retcode, (byRetcode.get(retcode) ?? 0) + 1);
  }

  rejected(status: number): void {
    this.rejections.set(status, (this.rejections.get(status) ?? 0) + 1);
  }

  emitted(eventType: string): void {
    this.events.set(eventType, (this.events.get(eventType) ?? 0) + 1);
  }

  refusedEvent(eventType: string): void {
    this.tooLarge.set(eventType, (this.tooLarge.get(eventType) ?? 0) + 1);
  }

  refusedConnection(reason: RefusalReason): void {
    this.connectionsRefused[reason]++;
  }

  dropped(transport: Transport, reason: DropReason): void {
    this.drops[transport][reason]++;
  }

  snapshot(clients: Record<Transport, number>, webhooks: readonly TargetStats[]): MetricsSnapshot {
    return {
      calls: Object.fromEntries([...this.calls].map(([api, byRetcode]) => [api, Object.fromEntries(byRetcode)])),
      rejected: Object.fromEntries(this.rejections),
      events: Object.fromEntries(this.events),
      refusedEvents: Object.fromEntries(this.tooLarge),
      refusedConnections: this.connectionsRefused.connections,
      refusedPendingConnections: this.connectionsRefused.pending,
      clients: { ...clients },
      dropped: { websocket: { ...this.drops.websocket }, sse: { ...this.drops.sse } },
      webhooks,
    };
  }
}

const escapeLabel = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

/** Renders a snapshot in the Prometheus text exposition format. */
export function prometheus(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge', help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const sample = (name: string, labels: Record<string, string | number>, value: number) => {
    const text = Object.entries(labels)
      .map(([key, label]) => `${key}="${escapeLabel(String(label))}"`)
      .join(',');
    lines.push(`${name}${text ? `{${text}}` : ''} ${value}`);
  };
  family('milky_api_calls_total', 'counter', 'API calls answered, by API and retcode (0 is success).');
  for (const [api, byRetcode] of Object.entries(snapshot.calls)) {
    for (const [retcode, count] of Object.entries(byRetcode)) sample('milky_api_calls_total', { api, retcode }, count);
  }
  family('milky_http_rejected_total', 'counter', 'Requests refused at the HTTP level, by status.');
  for (const [status, count] of Object.entries(snapshot.rejected)) sample('milky_http_rejected_total', { status }, count);
  family('milky_events_emitted_total', 'counter', 'Events emitted, by event type.');
  for (const [eventType, count] of Object.entries(snapshot.events)) sample('milky_events_emitted_total', { event_type: eventType }, count);
  family('milky_events_refused_total', 'counter', 'Events refused for being larger than the limit, by event type.');
  for (const [eventType, count] of Object.entries(snapshot.refusedEvents))
    sample('milky_events_refused_total', { event_type: eventType }, count);
  family('milky_connections_refused_total', 'counter', 'Connections refused, by limit (maxConnections, maxPendingPerAddress).');
  sample('milky_connections_refused_total', { limit: 'maxConnections' }, snapshot.refusedConnections);
  sample('milky_connections_refused_total', { limit: 'maxPendingPerAddress' }, snapshot.refusedPendingConnections);
  family('milky_event_clients', 'gauge', 'Event clients connected, by transport.');
  for (const [transport, count] of Object.entries(snapshot.clients)) sample('milky_event_clients', { transport }, count);
  family('milky_event_clients_dropped_total', 'counter', 'Event clients disconnected by the server, by transport and reason.');
  for (const [transport, byReason] of Object.entries(snapshot.dropped)) {
    for (const [reason, count] of Object.entries(byReason)) sample('milky_event_clients_dropped_total', { transport, reason }, count);
  }
  const webhook = (name: string, help: string, pick: (stats: TargetStats) => number, type: 'counter' | 'gauge' = 'counter') => {
    family(name, type, help);
    for (const stats of snapshot.webhooks) sample(name, { url: stats.url }, pick(stats));
  };
  webhook('milky_webhook_delivered_total', 'Events delivered, by WebHook URL.', (stats) => stats.delivered);
  webhook('milky_webhook_retried_total', 'Delivery attempts retried, by WebHook URL.', (stats) => stats.retried);
  webhook('milky_webhook_failed_total', 'Events given up on, by WebHook URL.', (stats) => stats.failed);
  webhook('milky_webhook_dropped_total', 'Events dropped unsent, by WebHook URL.', (stats) => stats.dropped);
  webhook('milky_webhook_backlog', 'Events waiting, by WebHook URL.', (stats) => stats.backlog, 'gauge');
  webhook('milky_webhook_backlog_bytes', 'Bytes of the events waiting, by WebHook URL.', (stats) => stats.backlogBytes, 'gauge');
  return `${lines.join('\n')}\n`;
}
