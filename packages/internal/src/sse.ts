// Parses a text/event-stream as the HTML standard describes: lines end with CRLF, LF or CR;
// `data` lines join with newlines; `id` sets the last event id; `retry` the reconnection delay;
// lines starting with `:` are comments; a blank line dispatches the event.

export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

export interface SseHandlers {
  message(message: SseMessage): void;
  retry?(milliseconds: number): void;
}

export class SseParser {
  private readonly handlers: SseHandlers;
  private rest = '';
  private skipLeadingNewline = false;
  private data: string[] = [];
  private event = '';
  /** The last event id the stream set, kept across events as the standard says. */
  lastEventId: string | undefined;

  constructor(handlers: SseHandlers, lastEventId?: string) {
    this.handlers = handlers;
    this.lastEventId = lastEventId;
  }

  feed(chunk: string): void {
    let text = this.rest + chunk;
    if (this.skipLeadingNewline && text.startsWith('\n')) text = text.slice(1);
    this.skipLeadingNewline = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char !== 10 && char !== 13) continue;
      this.line(text.slice(start, i));
      if (char === 13) {
        if (i + 1 === text.length) this.skipLeadingNewline = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.rest = text.slice(start);
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.handlers.message({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.handlers.retry?.(Number(value));
  }
}
