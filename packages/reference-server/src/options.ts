// The command line of `milky-reference-server`: its options and its help. Apart from the rest of
// the configuration (./config.ts), which validates a config file with the protocol's validators,
// so that `--help`, `--version` and a wrong option answer without loading TypeBox.

import { parseArgs } from 'node:util';
import { milkyVersion } from '@milky/types/version';

/** A configuration problem, reported with its source and the option or key at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** What `--help` prints: every option, with its environment variable and its key in a config file. */
export const help = `milky-reference-server: a complete Milky ${milkyVersion} protocol side over a simulated QQ world

Usage: milky-reference-server [options]

Every option can also be set in a JSON config file (the key in brackets) and as an
environment variable; flags override the environment, which overrides the file.

  --config <file>           read options from a JSON file                      MILKY_CONFIG
  --host <address>          address to listen on (default 127.0.0.1)           MILKY_HOST        [host]
  --port <number>           port to listen on; 0 picks a free one (default 3000)
                                                                               MILKY_PORT        [port]
  --prefix <path>           path the Milky endpoints sit under, such as /milky MILKY_PREFIX      [prefix]
  --token <token>           access token apps must present; without one, a token is
                            generated, printed and kept in the data folder     MILKY_TOKEN       [accessToken]
  --no-token                accept apps without a token (loopback addresses only)
                                                                                                 [accessToken: null]
  --control-token <token>   token of the sandbox (control API and page) that plays everyone
                            else; generated and kept like the access token       MILKY_CONTROL_TOKEN [controlToken]
  --no-sandbox              serve no sandbox                                   MILKY_SANDBOX=0   [sandbox: false]
  --webhook <url>           push every event to this URL; repeat for more      MILKY_WEBHOOK (comma-separated)
                                                                                                 [webhooks: ["url" or {"url","token"}]]
  --webhook-token <token>   Bearer token of WebHook pushes (default: the access token)
                                                                               MILKY_WEBHOOK_TOKEN [webhookToken]
  --data <folder>           where the world is kept (default ./milky-data)     MILKY_DATA        [data]
  --memory                  keep the world in memory only: nothing is written  MILKY_MEMORY=1    [memory]
  --seed <demo|empty|file>  what a new world starts with: the demo world (default), only the bot
                            account, or a JSON seed file; an existing world is never reseeded
                                                                               MILKY_SEED        [seed]
  --report-self-messages    also send message_receive for the bot's own messages
                                                                               MILKY_REPORT_SELF_MESSAGES=1 [reportSelfMessages]
  --public-url <url>        address that links to resources and files start with (behind a proxy)
                                                                               MILKY_PUBLIC_URL  [publicUrl]
  --cors <origin>           allow browser calls from this origin ('*' for any); repeat for more
                                                                               MILKY_CORS (comma-separated) [cors]
  --max-resource-bytes <n>  largest image, recording, video or file accepted (default 33554432)
                                                                               MILKY_MAX_RESOURCE_BYTES [maxResourceBytes]
  --limit <name=value>      change a bound; repeat for more (MILKY_LIMITS: comma-separated)
                            [limits: {"name": value}]; names and defaults:
                              bodyLimit 44804780 (room for a base64:// resource of --max-resource-bytes),
                              maxMessageBytes 65536, maxHistoryBytes 4194304,
                              maxEventBytes 1048576, clientBufferLimit 8388608 (bytes);
                              heartbeatInterval 30000, sseKeepAliveInterval 15000, sseRetry 3000 (ms);
                              sseReplay 1000 (events), sseReplayBytes 8388608 (bytes);
                              headersTimeout 10000, requestTimeout 60000, keepAliveTimeout 5000,
                              idleTimeout 60000 (ms); maxConnections 512, maxPendingPerAddress 128;
                              sandboxBufferLimit 8388608, downloadBufferLimit 268435456 (bytes)
  --file-root <folder>      let file:// URIs read only inside this folder (default: any file
                            this process can read)                             MILKY_FILE_ROOT   [fileRoot]
  -h, --help                show this help
  -v, --version             show the version

The server prints its URL, its token and where the world lives when it starts.
`;

/** The flags of a command line, checked against the options: a wrong or missing value throws a `ConfigError`. */
export function parseCommandLine(argv: readonly string[]): ReturnType<typeof parseFlags>['values'] {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new ConfigError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  if (parsed.positionals.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
  return parsed.values;
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      prefix: { type: 'string' },
      token: { type: 'string' },
      'no-token': { type: 'boolean' },
      'control-token': { type: 'string' },
      'no-sandbox': { type: 'boolean' },
      webhook: { type: 'string', multiple: true },
      'webhook-token': { type: 'string' },
      data: { type: 'string' },
      memory: { type: 'boolean' },
      seed: { type: 'string' },
      'report-self-messages': { type: 'boolean' },
      'public-url': { type: 'string' },
      cors: { type: 'string', multiple: true },
      'max-resource-bytes': { type: 'string' },
      'file-root': { type: 'string' },
      limit: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
