// A bundle keeps only the schemas it validates: an app bundled by rolldown (as the size benchmark
// bundles it) carries the declarations its schema refers to, and no other. Declarations are told
// apart by their descriptions, read from the bundle's string literals, not by its size.

import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, test } from 'vitest';
import { bundleSource } from '../../../scripts/browser-bundle.ts';
import { definitions, Event, GetUserProfileOutput, type MilkySchema, SendGroupMessageInput } from '../src/index.ts';

const packageDir = join(import.meta.dirname, '..');

/** Every string the code holds: string literals and the text of template literals. */
function stringsOf(code: string): Set<string> {
  const strings = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === 'object') {
      const { type, value } = node as { type?: string; value?: unknown };
      if (type === 'Literal' && typeof value === 'string') strings.add(value);
      if (type === 'TemplateElement') strings.add((value as { cooked: string }).cooked);
      for (const child of Object.values(node)) if (child !== null && typeof child === 'object') visit(child);
    }
  };
  visit(parseAst(code));
  return strings;
}

/** Every description a schema holds, at any depth. */
function descriptionsOf(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) descriptionsOf(item, into);
  else if (schema !== null && typeof schema === 'object') {
    const { description } = schema as { description?: unknown };
    if (typeof description === 'string') into.add(description);
    for (const value of Object.values(schema)) descriptionsOf(value, into);
  }
  return into;
}

const apps: readonly { readonly name: string; readonly schema: MilkySchema<unknown>; readonly source: string }[] = [
  {
    name: 'one API output, validated strictly',
    schema: GetUserProfileOutput,
    source: `import { GetUserProfileOutput, validator } from '@milky/types';\nconsole.log(validator(GetUserProfileOutput).check(JSON.parse('{}')));`,
  },
  {
    name: 'one API input with segments, validated leniently',
    schema: SendGroupMessageInput,
    source: `import { SendGroupMessageInput, validator } from '@milky/types';\nconsole.log(validator(SendGroupMessageInput, 'lenient').issues(JSON.parse('{}')));`,
  },
  {
    name: 'the events',
    schema: Event,
    source: `import { eventValidator } from '@milky/types';\nconsole.log(eventValidator('lenient').check(JSON.parse('{}')));`,
  },
];

describe('a bundle that validates one schema carries only that schema and the declarations it refers to', () => {
  test.each(apps)('$name', async ({ name, schema, source }) => {
    const bundle = await bundleSource(packageDir, `tree-shaking ${name}`, source);
    const strings = stringsOf(bundle.code);
    const carried = schema.$defs as Record<string, TSchema>;
    const kept = descriptionsOf(carried);

    const missing = Object.keys(carried).filter((declaration) => !strings.has(definitions[declaration]?.description ?? ''));
    expect(missing, 'declarations the schema refers to, missing from the bundle').toEqual([]);

    // Those that are not the schema's, told by a description none of the schema's declarations shares.
    const others = Object.keys(definitions).filter(
      (declaration) => !Object.hasOwn(carried, declaration) && !kept.has(definitions[declaration]?.description ?? ''),
    );
    expect(others.length).toBeGreaterThan(0);
    const leaked = others.filter((declaration) => strings.has(definitions[declaration]?.description ?? ''));
    expect(leaked, 'declarations the schema does not refer to, found in the bundle').toEqual([]);
  });
});
