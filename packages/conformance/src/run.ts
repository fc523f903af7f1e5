// A whole run: ask the server what it declares and offers, check the transport and the event
// stream, the read APIs, the write APIs (with --write), every event type (with a sandbox), and
// what arrived meanwhile.

import { apis, httpAnswers, milkyVersion, retcodes } from '@milky/types';
import { messageChecks } from './checks/messages.ts';
import { readChecks } from './checks/read.ts';
import { receivedChecks, streamChecks, Wire } from './checks/stream.ts';
import { transportChecks } from './checks/transport.ts';
import { triggerChecks } from './checks/triggers.ts';
import { writeChecks } from './checks/write.ts';
import { Control, type Fixtures, fillFixtures, makeFixtures } from './control.ts';
import { type CheckResult, type Coverage, Recorder, type Report } from './report.ts';
import { Target } from './target.ts';
import { ServerVersion } from './version.ts';

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
  /**
   * Make changes that the suite cannot undo (people, groups and files it creates; a file sent to a
   * friend) in a world that is kept. Without it, `write` and sandbox fixtures need a world the
   * sandbox reports as throw-away. Default false.
   */
  readonly allowLastingChanges?: boolean | undefined;
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
  /** Advice (a recommendation the server does not follow) fails the run too. Default false. */
  readonly strict?: boolean | undefined;
  /** Called with each result as it is decided. */
  readonly onResult?: ((result: CheckResult) => void) | undefined;
}

/** The suite would make changes it cannot undo in a world that is kept, and was not allowed to. */
export class LastingChangesRefused extends Error {
  override readonly name = 'LastingChangesRefused';
}

/** Asks every API of the declared version with a body that cannot be parsed: 404 means not offered. */
async function probeOffered(target: Target): Promise<void> {
  for (const [name, api] of Object.entries(apis)) {
    if (!target.version.expects(api.since)) continue;
    const response = await target.request(target.url(`/api/${name}`), {
      headers: { 'content-type': 'application/json', ...target.auth() },
      body: '{',
    });
    if (response.status === httpAnswers.NotFound.status) target.notOffered.add(name);
  }
}

function coverageOf(target: Target): Coverage {
  const names = Object.entries(apis);
  const expected = names.filter(([, api]) => target.version.expects(api.since)).map(([name]) => name);
  return {
    ...(target.version.declared === undefined ? {} : { declared: target.version.declared }),
    known: milkyVersion,
    apis: {
      expected,
      offered: expected.filter((name) => !target.notOffered.has(name)),
      missing: expected.filter((name) => target.notOffered.has(name)),
    },
    notExpected: names.filter(([, api]) => !target.version.expects(api.since)).map(([name]) => name),
    checked: { apis: [...target.checkedApis].sort(), segments: [...target.seenSegments].sort() },
  };
}

/** Refuses changes the suite cannot undo unless the world is throw-away or they are allowed. */
async function guardLastingChanges(options: ConformanceOptions, sandbox: Control | undefined): Promise<void> {
  if (options.allowLastingChanges) return;
  if (sandbox) {
    const world = await sandbox.run<{ persistent?: unknown }>('world');
    if (world.persistent === false) return;
    throw new LastingChangesRefused(
      'the sandbox’s world is kept (or does not say it is not): the fixtures the suite makes (people, groups, files) would stay in it. ' +
        'Check a server with a throw-away world (the reference server with --memory), or pass --allow-lasting-changes',
    );
  }
  if (options.write) {
    throw new LastingChangesRefused(
      '--write on a server without a sandbox changes a world someone keeps (a file sent to a friend stays; nudges are seen). ' +
        'Pass --allow-lasting-changes to run it anyway',
    );
  }
}

/** Checks a Milky server against the protocol and returns what was found. */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const started = new Date();
  const target = new Target(options.url, options.token, options.prefix);
  const recorder = new Recorder(options.onResult);
  // Whether the bot is logged in decides which checks can be made at all; the version the server
  // declares decides what is expected of it.
  let loggedIn = true;
  let self: number | undefined;
  try {
    const probe = target.envelope(await target.post('get_login_info', '{}'), 'get_login_info', { loginNeeded: false });
    loggedIn = probe.retcode !== retcodes.notLoggedIn;
    self = (probe.data as { uin?: number } | undefined)?.uin;
    const impl = target.envelope(await target.post('get_impl_info', '{}'), 'get_impl_info', { loginNeeded: false });
    const declared = (impl.data as { milky_version?: unknown } | undefined)?.milky_version;
    if (typeof declared === 'string') target.version = new ServerVersion(declared);
  } catch {}
  await probeOffered(target).catch(() => {});
  target.observer = recorder;

  const control = options.controlToken ? new Control(target.base, options.controlToken) : undefined;
  const sandbox = control && (await control.available()) ? control : undefined;
  if (options.write || sandbox) await guardLastingChanges(options, sandbox);
  // The wire listens first: the events of making the fixtures arrive on every transport at once
  // (a WebHook push that found no receiver would come back only after the server's backoff).
  const wire = new Wire();
  await wire.connect(target, { port: options.webhookPort, token: options.webhookToken ?? options.token });
  try {
    // With a sandbox, the suite makes people, groups and content of its own to check against.
    let fixtures: Fixtures | undefined;
    if (sandbox && loggedIn && self !== undefined) {
      fixtures = await makeFixtures(sandbox, self);
      await fillFixtures(sandbox, fixtures, self);
    }
    await transportChecks(target, recorder, { bodyLimit: options.bodyLimit, loggedIn });
    await streamChecks(target, recorder);
    const known = await readChecks(target, recorder, loggedIn, fixtures && { friend: fixtures.friend, group: fixtures.ownGroup });
    await writeChecks(target, recorder, known, {
      write: options.write ?? false,
      loggedIn,
      sandbox: sandbox && fixtures ? { control: sandbox, fixtures } : undefined,
    });
    await triggerChecks(target, recorder, wire, { control: sandbox, loggedIn, self: known.self, timeout: options.eventTimeout ?? 5000 });
    // Pushes may still be on their way: judge what arrived once every transport has caught up.
    await wire.caughtUp(options.eventTimeout ?? 5000);
    await receivedChecks(target, wire, recorder);
    await messageChecks(target, recorder, wire, known);
  } finally {
    wire.close();
  }
  return recorder.report(options.url, started, coverageOf(target), options.strict ?? false);
}
