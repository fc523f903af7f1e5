// A whole run: probe the server, check the transport and the event stream, the read APIs, the
// write APIs (with --write), every event type (with a sandbox), and what arrived meanwhile.

import { readChecks } from './checks/read.ts';
import { receivedChecks, streamChecks, Wire } from './checks/stream.ts';
import { transportChecks } from './checks/transport.ts';
import { triggerChecks } from './checks/triggers.ts';
import { writeChecks } from './checks/write.ts';
import { Control, type Fixtures, fillFixtures, makeFixtures } from './control.ts';
import { type CheckResult, Recorder, type Report } from './report.ts';
import { Target } from './target.ts';

/** Options of `runConformance()`: the server, its tokens, and what to check. */
export interface ConformanceOptions {
  /** Where the server listens, such as `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The access token, when the server requires one. */
  readonly token?: string | undefined;
  /** The path the endpoints sit under, such as `/milky`. */
  readonly prefix?: string | undefined;
  /** Run the APIs with side effects too. Default false. */
  readonly write?: boolean | undefined;
  /** Port to receive WebHook pushes on (the server must push to it); without it, WebHook is not checked. */
  readonly webhookPort?: number | undefined;
  /** The Bearer token WebHook pushes must carry; the access token by default. */
  readonly webhookToken?: string | undefined;
  /** The token of the reference server's sandbox: with it, the suite makes fixtures and every event happen. */
  readonly controlToken?: string | undefined;
  /** The server's body limit, to check 413. */
  readonly bodyLimit?: number | undefined;
  /** How long to wait for each triggered event, in ms. Default 5000. */
  readonly eventTimeout?: number | undefined;
  /** Called with each result as it is decided. */
  readonly onResult?: ((result: CheckResult) => void) | undefined;
}

/** Checks a Milky server against the protocol and returns what was found. */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const started = new Date();
  const target = new Target(options.url, options.token, options.prefix);
  const recorder = new Recorder(options.onResult);
  // Whether the bot is logged in decides which checks can be made at all.
  let loggedIn = true;
  let self: number | undefined;
  try {
    const probe = target.envelope(await target.post('get_login_info', '{}'), 'get_login_info');
    loggedIn = probe.retcode !== -403;
    self = (probe.data as { uin?: number } | undefined)?.uin;
  } catch {}
  const control = options.controlToken ? new Control(target.base, options.controlToken) : undefined;
  const sandbox = control && (await control.available()) ? control : undefined;
  // With a sandbox, the suite makes people, groups and content of its own to check against.
  let fixtures: Fixtures | undefined;
  if (sandbox && loggedIn && self !== undefined) {
    fixtures = await makeFixtures(sandbox, self);
    await fillFixtures(sandbox, fixtures);
  }
  const wire = new Wire();
  await wire.connect(target, { port: options.webhookPort, token: options.webhookToken ?? options.token });
  try {
    await transportChecks(target, recorder, { bodyLimit: options.bodyLimit, loggedIn });
    await streamChecks(target, recorder);
    const known = await readChecks(target, recorder, loggedIn, fixtures && { friend: fixtures.friend, group: fixtures.ownGroup });
    await writeChecks(target, recorder, known, {
      write: options.write ?? false,
      loggedIn,
      sandbox: sandbox && fixtures ? { control: sandbox, fixtures } : undefined,
    });
    await triggerChecks(target, recorder, wire, { control: sandbox, loggedIn, self: known.self, timeout: options.eventTimeout ?? 5000 });
    // Pushes may still be on their way: give them a moment before judging what arrived.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await receivedChecks(wire, recorder);
  } finally {
    wire.close();
  }
  return recorder.report(options.url, started);
}
