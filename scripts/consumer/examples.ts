// The TypeScript examples of the packages' READMEs, read as a user would copy them, with what
// each says it prints.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How an example is run, from an HTML comment on the line before its fence:
 * - `run` (no comment): it ends by itself; it must exit 0 and print what its comments say;
 * - `<!-- example: keeps running -->`: a bot or a server; it must print a line and still be
 *   running when every other example has ended;
 * - `<!-- example: echo bot -->`: the same, and it must answer `/echo <text>` in a group with the text;
 * - `<!-- example: webhook receiver -->`: a WebHook receiver on `WEBHOOK_PORT`, which the reference
 *   server pushes every event to; it must print a line, then what its comments say once the other
 *   examples have made events;
 * - `<!-- example: beside the echo bot -->`: run like `run`, while the echo bot is running;
 * - `<!-- example: on Redis and protocol sides -->`: a gateway or a worker of @milky/broker, on
 *   `REDIS_URL` and the protocol sides `MAIN_URL`/`MAIN_TOKEN` and `SPARE_URL`/`SPARE_TOKEN`; they
 *   are started in the README's order, each printing a line once started, then Alice says `ping`
 *   in group 20001 of the main side; each must print what its comments say, and exit 0 on SIGTERM.
 */
export type ExampleMode = 'run' | 'keeps running' | 'echo bot' | 'webhook receiver' | 'beside the echo bot' | 'on Redis';

export interface Example {
  /** `client-1`: the package folder and the example's place among its README's TypeScript blocks. */
  readonly name: string;
  readonly readme: string;
  readonly source: string;
  readonly mode: ExampleMode;
  /** The lines it prints, in order, from `console.log(...); // printed` and a comment line under a `console.log`. */
  readonly prints: readonly Expected[];
}

/** What a line prints, or (when its comment starts with `…`) how what it prints ends. */
export interface Expected {
  readonly text: string;
}

const modes: Record<string, ExampleMode> = {
  'keeps running': 'keeps running',
  'echo bot': 'echo bot',
  'webhook receiver': 'webhook receiver',
  'beside the echo bot': 'beside the echo bot',
  'on Redis and protocol sides': 'on Redis',
};

/** Every ```ts block of `readme` that imports a package (the others are fragments of a larger program). */
export function examplesOf(packageFolder: string, readme: string): { examples: Example[]; fragments: number } {
  const text = readFileSync(readme, 'utf8');
  const examples: Example[] = [];
  let fragments = 0;
  const fence = /(?:<!-- example: ([^>]*?) -->\n)?```ts\n([\s\S]*?)```/g;
  for (const match of text.matchAll(fence)) {
    const source = match[2] ?? '';
    if (!/^import .* from '@milky\//m.test(source)) {
      fragments++;
      continue;
    }
    const marker = match[1];
    const mode = marker === undefined ? 'run' : modes[marker];
    if (!mode) throw new Error(`${readme}: unknown example marker "${marker}"; expected one of: ${Object.keys(modes).join(', ')}`);
    examples.push({ name: `${packageFolder}-${examples.length + fragments + 1}`, readme, source, mode, prints: printed(source) });
  }
  return { examples, fragments };
}

function printed(source: string): Expected[] {
  const lines = source.split('\n');
  const expected: Expected[] = [];
  lines.forEach((line, index) => {
    if (!line.includes('console.log(')) return;
    const trailing = /\);\s*\/\/ (.*)$/.exec(line)?.[1];
    const below = /^\/\/ (.*)$/.exec(lines[index + 1] ?? '')?.[1];
    const comment = trailing ?? below;
    if (comment === undefined) return;
    expected.push({ text: comment.startsWith('… ') ? comment.slice(2) : comment });
  });
  return expected;
}

/**
 * The printed form of a value whatever runtime printed it: Node.js, Deno and Bun lay objects out
 * differently (quotes, line breaks, trailing commas), so both sides are compared without them.
 */
function canonical(text: string): string {
  return text
    .replaceAll('"', "'")
    .replace(/,(\s*[}\]])/g, '$1')
    .replace(/\s+/g, '');
}

/** What is missing from `stdout`: each expected line, in order; empty when all were printed. */
export function missing(prints: readonly Expected[], stdout: string): Expected[] {
  const printed = canonical(stdout);
  let at = 0;
  const absent: Expected[] = [];
  for (const expected of prints) {
    const found = printed.indexOf(canonical(expected.text), at);
    if (found < 0) absent.push(expected);
    else at = found + canonical(expected.text).length;
  }
  return absent;
}

export function readmeOf(packageDir: string): string {
  return join(packageDir, 'README.md');
}
