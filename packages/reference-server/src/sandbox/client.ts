// A typed client of the sandbox's control API, for end-to-end tests of bots: play anyone in the
// reference server's world, and watch what happens there. Its methods are derived from the
// sandbox's action table, as `client.api` of @milky/client is from the protocol's APIs.

import { type Event, type IncomingMessage, type IncomingSegmentOf, MilkyApiError, type OutgoingSegment, readEnvelope } from '@milky/types';
import { SseParser } from '../internal/sse.ts';
import type { IncomingOnlySegmentType } from '../world/messages.ts';
import { type ActionInput, type ActionName, type ActionOutput, actionNames, actions } from './actions.ts';

/** Options of a `SandboxClient`. */
export interface SandboxClientOptions {
  /** Where the reference server listens, such as `http://127.0.0.1:3000` (not its Milky prefix). */
  readonly url: string | URL;
  /** The control token the server printed. */
  readonly token: string;
  /** The fetch to use; the runtime's by default. */
  readonly fetch?: typeof fetch;
}

/** What `say` sends: text (one text segment), or segments: outgoing ones, and the incoming-only ones (market faces, XML cards, Markdown). */
export type SayContent = string | ReadonlyArray<OutgoingSegment | IncomingSegmentOf<IncomingOnlySegmentType>>;

/** What the stream carries: the events the bot gets, and every message stored (the bot's own too). */
export type StreamItem =
  | { readonly kind: 'milky'; readonly event: Event }
  | { readonly kind: 'message'; readonly message: IncomingMessage };

/** The input of action `N` as the client takes it: a `message` may be text or typed segments. */
export type ClientInput<N extends ActionName> = 'message' extends keyof ActionInput<N>
  ? Omit<ActionInput<N>, 'message'> & { readonly message: SayContent }
  : ActionInput<N>;

/** Every action, as `client.actions.<name>(input)`. */
export type SandboxActions = { readonly [N in ActionName]: (input: ClientInput<N>) => Promise<ActionOutput<N>> };

/** The actions someone plays (those with an `as` field), as `client.as(uin).<name>(input)`. */
export type ActorActions = {
  readonly [N in ActionName as 'as' extends keyof ActionInput<N> ? N : never]: (
    input: Omit<ClientInput<N>, 'as'>,
  ) => Promise<ActionOutput<N>>;
};

/** The transport refused the call (wrong token, unknown action, body too large…): an HTTP status, not a retcode. */
export class SandboxHttpError extends Error {
  readonly status: number;
  readonly action: string;

  constructor(status: number, body: string, action: string) {
    super(`calling ${action}: HTTP ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : ''}`);
    this.name = 'SandboxHttpError';
    this.status = status;
    this.action = action;
  }
}

/** `message` given as text becomes one text segment. */
function wire(input: object): object {
  const message = (input as { message?: unknown }).message;
  return typeof message === 'string' ? { ...input, message: [{ type: 'text', data: { text: message } }] } : input;
}

/** A typed client of the sandbox's control API: plays everyone other than the bot (`as(userId)`), changes the world (`actions`), and streams what happens. */
export class SandboxClient {
  /** Every action of the sandbox, as `client.actions.<name>(input)`. */
  readonly actions: SandboxActions;
  private readonly base: string;
  private readonly token: string;
  private readonly fetcher: typeof fetch;

  constructor(options: SandboxClientOptions) {
    this.base = String(options.url).replace(/\/+$/, '');
    this.token = options.token;
    this.fetcher = options.fetch ?? fetch;
    this.actions = Object.freeze(
      Object.fromEntries(actionNames.map((name) => [name, (input: object) => this.call(name, input)])),
    ) as SandboxActions;
  }

  /** Runs one action by name; a refusal throws a `MilkyApiError` with the world's retcode, a transport failure a `SandboxHttpError`. */
  run<N extends ActionName>(name: N, input: ClientInput<N>): Promise<ActionOutput<N>> {
    return this.call(name, input) as Promise<ActionOutput<N>>;
  }

  /** The actions played by one account: `client.as(10002).say({ message: 'hi', group_id: 20001 })`. */
  as(userId: number): ActorActions {
    return Object.freeze(
      Object.fromEntries(
        actionNames
          .filter((name) => Object.hasOwn(actions[name].input.properties, 'as'))
          .map((name) => [name, (input: object) => this.call(name, { ...input, as: userId })]),
      ),
    ) as ActorActions;
  }

  private async call(name: ActionName, input: object): Promise<unknown> {
    const response = await this.fetcher(`${this.base}/control/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(wire(input)),
    });
    const text = await response.text();
    if (response.status !== 200) throw new SandboxHttpError(response.status, text, name);
    const envelope = readEnvelope(text);
    if (envelope.status === 'ok') return envelope.data;
    if (envelope.status === 'invalid') throw new SandboxHttpError(response.status, envelope.problem, name);
    throw new MilkyApiError(envelope.retcode, envelope.message ?? 'failed', { api: name });
  }

  /**
   * The world and its stream: events as the bot gets them, and every message stored. Ends with
   * `signal`; `onOpen` is called once the server has subscribed it, so that nothing after is missed.
   */
  async *stream(signal?: AbortSignal, onOpen?: () => void): AsyncGenerator<StreamItem> {
    const response = await this.fetcher(`${this.base}/control/stream`, {
      headers: { authorization: `Bearer ${this.token}` },
      ...(signal ? { signal } : {}),
    });
    if (response.status !== 200 || !response.body)
      throw new SandboxHttpError(response.status, await response.text().catch(() => ''), 'stream');
    onOpen?.();
    const decoder = new TextDecoder();
    const ready: StreamItem[] = [];
    const parser = new SseParser({
      message: ({ event, data }) => {
        if (event === 'milky') ready.push({ kind: 'milky', event: JSON.parse(data) as Event });
        else if (event === 'message') ready.push({ kind: 'message', message: JSON.parse(data) as IncomingMessage });
      },
    });
    try {
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        yield* ready.splice(0);
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    }
  }
}
