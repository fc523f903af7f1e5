#!/usr/bin/env node
// milky-conformance: checks a Milky server against the protocol and prints what it found.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export const conformanceHelp = `milky-conformance: check a Milky server against the protocol

Usage: milky-conformance --url http://127.0.0.1:3000 [options]

  --url <url>             where the server listens (required)                  MILKY_URL
  --token <token>         its access token, when it requires one               MILKY_TOKEN
  --prefix <path>         the path its endpoints sit under, such as /milky
  --write                 also call the APIs with side effects; each check says what it changes,
                          and those that cannot be undone run only on fixtures made in a sandbox
  --allow-lasting-changes let --write and sandbox fixtures change a world that is kept (see README)
  --webhook-port <n>      receive WebHook pushes on this port (configure the server to push to
                          http://<this machine>:<n>/) and check them
  --webhook-token <t>     the Bearer token pushes must carry (default: the access token)
  --control-token <t>     the token of a reference server's sandbox: the suite then makes its own
                          fixtures and makes every event type happen                MILKY_CONTROL_TOKEN
  --body-limit <bytes>    the server's body limit, to check the 413 answer
  --event-timeout <ms>    how long to wait for each event (default 5000)
  --strict                advice (a recommendation not followed) fails the run too
  --json <file>           write the report as JSON
  --junit <file>          write the report as JUnit XML
  --html <file>           write the report as one self-contained HTML page
  -q, --quiet             print only failures, advice and the summary
  -h, --help              show this help

Exits with 1 when a protocol rule (P) is broken (or, with --strict, a recommendation (C) is not
followed), 2 for a wrong command line or a refused run, 0 otherwise.
`;

export interface ConformanceCliOutput {
  out(text: string): void;
  err(text: string): void;
}

function number(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${what}: expected a number, got ${JSON.stringify(value)}`);
  return Number(value);
}

export async function runConformanceCli(argv: readonly string[], env: NodeJS.ProcessEnv, output: ConformanceCliOutput): Promise<number> {
  let options: ReturnType<typeof parse>['values'];
  let webhookPort: number | undefined;
  let bodyLimit: number | undefined;
  let eventTimeout: number | undefined;
  try {
    ({ values: options } = parse(argv));
    webhookPort = number(options['webhook-port'], '--webhook-port');
    bodyLimit = number(options['body-limit'], '--body-limit');
    eventTimeout = number(options['event-timeout'], '--event-timeout');
  } catch (error) {
    output.err(
      `milky-conformance: ${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\nRun milky-conformance --help for the options.\n`,
    );
    return 2;
  }
  if (options.help) {
    output.out(conformanceHelp);
    return 0;
  }
  const url = options.url ?? env.MILKY_URL;
  if (!url || !/^https?:\/\/[^/]/.test(url)) {
    output.err(`milky-conformance: --url is required: where the server listens, such as http://127.0.0.1:3000\n`);
    return 2;
  }
  const quiet = options.quiet ?? false;
  // The checks and the report formats are loaded only now: help and bad options answer without them.
  const [{ LastingChangesRefused, runConformance }, { formatJson, formatJunit, formatTable }, { formatHtml }] = await Promise.all([
    import('./run.ts'),
    import('./format.ts'),
    import('./html.ts'),
  ]);
  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance({
      url,
      token: options.token ?? (env.MILKY_TOKEN || undefined),
      prefix: options.prefix,
      write: options.write ?? false,
      webhookPort,
      webhookToken: options['webhook-token'],
      controlToken: options['control-token'] ?? (env.MILKY_CONTROL_TOKEN || undefined),
      bodyLimit,
      eventTimeout,
      allowLastingChanges: options['allow-lasting-changes'] ?? false,
      strict: options.strict ?? false,
    });
  } catch (error) {
    if (!(error instanceof LastingChangesRefused)) throw error;
    output.err(`milky-conformance: refused: ${error.message}\n`);
    return 2;
  }
  const shown = quiet
    ? { ...report, results: report.results.filter((result) => result.status === 'fail' || result.status === 'advice') }
    : report;
  output.out(formatTable(shown));
  if (options.json) await writeFile(options.json, formatJson(report));
  if (options.junit) await writeFile(options.junit, formatJunit(report));
  if (options.html) await writeFile(options.html, formatHtml(report));
  return report.ok ? 0 : 1;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      prefix: { type: 'string' },
      write: { type: 'boolean' },
      'allow-lasting-changes': { type: 'boolean' },
      strict: { type: 'boolean' },
      html: { type: 'string' },
      'webhook-port': { type: 'string' },
      'webhook-token': { type: 'string' },
      'control-token': { type: 'string' },
      'body-limit': { type: 'string' },
      'event-timeout': { type: 'string' },
      json: { type: 'string' },
      junit: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The `milky-conformance` command (its launcher, `bin/`, calls it). */
export async function main(): Promise<void> {
  try {
    process.exitCode = await runConformanceCli(process.argv.slice(2), process.env, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } catch (error) {
    process.stderr.write(`milky-conformance: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
